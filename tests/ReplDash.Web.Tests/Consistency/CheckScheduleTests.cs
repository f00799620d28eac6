using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReplDash.Testing;
using ReplDash.Web.Tests.Infrastructure;
using Xunit;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// ReplDash:Consistency:Schedule: a check of every slave starts by itself at each interval and records "schedule" as
/// who started it. The interval is seven hours; the test moves the schedule's timer through the injected
/// TimeProvider instead of waiting.
/// </summary>
public sealed class CheckScheduleTests(CheckScheduleTests.ScheduledApp app) : IClassFixture<CheckScheduleTests.ScheduledApp>
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(7);

    /// <summary>m1 with both its slaves on real ports, a seven-hour schedule, and a clock whose schedule timer the test fires.</summary>
    public sealed class ScheduledApp : KestrelClusterAppFactory
    {
        /// <summary>s2's Redis-protocol port.</summary>
        public int Slave2Resp { get; } = FreePort.Next();

        /// <summary>The clock of the app: the system's, except the schedule's timer.</summary>
        public ScheduleClock Clock { get; } = new(Interval);

        /// <inheritdoc />
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ReplDash:Node", "m1,s1,s2");
            builder.UseSetting("ReplDash:Nodes:2:RespPort", Slave2Resp.ToString());
            builder.UseSetting("ReplDash:Nodes:2:MasterAddress", $"127.0.0.1:{MasterReplication}");
            builder.UseSetting("ReplDash:Consistency:Schedule", "07:00:00");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    /// <summary>
    /// The system clock, except that a timer with the schedule's period does not run by itself: <see cref="Fire"/> makes
    /// it tick, as if the interval had passed.
    /// </summary>
    public sealed class ScheduleClock(TimeSpan schedulePeriod) : TimeProvider
    {
        private readonly ConcurrentQueue<ManualTimer> _scheduleTimers = new();

        /// <summary>Schedule timers created so far.</summary>
        public int ScheduleTimers => _scheduleTimers.Count;

        /// <inheritdoc />
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (period != schedulePeriod)
                return base.CreateTimer(callback, state, dueTime, period);
            var timer = new ManualTimer(callback, state);
            _scheduleTimers.Enqueue(timer);
            return timer;
        }

        /// <summary>Ticks every schedule timer once.</summary>
        public void Fire()
        {
            foreach (var timer in _scheduleTimers)
                timer.Tick();
        }

        private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
        {
            public void Tick() => callback(state);

            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Schedule_StartsACheckOfEverySlaveByItself_AtEachInterval()
    {
        app.StartServer();
        using var http = TestCredentials.Client(app.BaseAddress);
        using (var master = await RespTestClient.ConnectAsync(app.MasterResp))
            for (int i = 0; i < 200; i++)
                Assert.Equal("OK", await master.CallAsync("SET", $"scheduled:{i}", $"v{i}"));
        foreach (int slave in new[] { app.SlaveResp, app.Slave2Resp })
            await Convergence.CaughtUpDigestsAsync(app.MasterResp, slave, ChecksApi.Deadline);
        await Poll.UntilAsync(() => app.Clock.ScheduleTimers > 0, "the schedule's timer", ChecksApi.Deadline);

        // Nothing runs before the interval has passed.
        Assert.Empty(await RunsAsync(http));

        app.Clock.Fire();
        var first = await ScheduledRunAsync(http, 1);
        var run = await ChecksApi.WaitDoneAsync(http, first);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("schedule", run.GetProperty("run").GetProperty("startedBy").GetString());
        Assert.Equal(new[] { "s1", "s2" }, run.GetProperty("run").GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(200, run.GetProperty("run").GetProperty("keysCompared").GetInt64());
        Assert.Empty(ChecksApi.Findings(run));
        await Convergence.WaitForEventAsync(app.BaseAddress, "check-started", ChecksApi.Deadline, "m1", "started by schedule");

        // The next interval starts the next one. (A tick while a run still ends is skipped by design: tick until one starts.)
        long second = await ScheduledRunAsync(http, 2, app.Clock.Fire);
        Assert.NotEqual(first, second);
        Assert.Equal("completed", (await ChecksApi.WaitDoneAsync(http, second)).GetProperty("status").GetString());
    }

    /// <summary>Waits until <paramref name="count"/> runs were started by the schedule; returns the newest.</summary>
    private static async Task<long> ScheduledRunAsync(HttpClient http, int count, Action? tick = null)
    {
        List<JsonElement> scheduled = [];
        await Poll.UntilAsync(async () =>
        {
            tick?.Invoke();
            scheduled = (await RunsAsync(http)).Where(r => r.GetProperty("startedBy").GetString() == "schedule").ToList();
            return scheduled.Count >= count;
        }, $"{count} scheduled run(s)", ChecksApi.Deadline, async () => string.Join("\n", await RunsAsync(http)));
        return scheduled.Max(r => r.GetProperty("id").GetInt64());
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("api/checks")).RootElement.Clone().EnumerateArray().ToList();
}
