using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;
using ReplDash.Engine.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.SemiSync;

/// <summary>
/// One clock (docs/ARCHITECTURE.md): a master on a <see cref="FakeTimeProvider"/> runs its semi-sync deadline and its
/// link timeout on that clock alone. A slave that acknowledges one write and then stops acking: advancing the fake
/// clock past the semi-sync timeout answers the waiting write (degraded, semi-sync OFF), and advancing it past the
/// link timeout drops the link, in well under a second of real time although both limits are minutes long. Before
/// the link's silence was measured on the node's clock (Environment.TickCount64 and a Task.Delay on the system
/// clock), the link-timeout half could not pass: the link stayed up however far the fake clock went.
/// </summary>
public class FakeClockDeadlineTests
{
    private const string Secret = "fake-clock-secret";
    private static readonly TimeSpan SemiSyncTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LinkTimeout = TimeSpan.FromMinutes(10);
    // Real time allowed for what the fake clock drives: far below both limits, so only the fake clock can meet them.
    private static readonly TimeSpan RealBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SilentSlave_OnAFakeClock_SemiSyncTimesOutThenTheLinkTimesOut_WithoutRealWaiting()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var events = new RecordedEvents();
        var master = StartMaster(time, events);
        using var stop = new CancellationTokenSource();
        var toMaster = new Pipe();
        var toSlave = new Pipe();
        var session = Task.Run(() => new MasterSyncSession(master, new PipeConnection(toMaster.Reader, toSlave.Writer), NullLogger.Instance)
            .RunAsync(stop.Token));
        var slave = new FrameChannel(toSlave.Reader, toMaster.Writer, TimeProvider.System);
        try
        {
            var from = await LinkAsync(slave, master);
            await Poll.UntilAsync(() => master.SemiSyncView() is { Clients: 1, Status: true }, "the slave counted, semi-sync ON", RealBound);

            // The first write is acknowledged: answered on the ack, semi-sync stays ON.
            var (first, firstAnswered) = Set(master, "k1");
            var firstBatch = await ReceiveBatchAsync(slave);
            await slave.SendAsync(new Ack(from, firstBatch.Items[^1].End, master.Positions().Applied, First: true), RealDeadline());
            await firstAnswered.WaitAsync(RealBound);
            Assert.True(master.SemiSyncView().Status);

            // The second write is shipped (so it is durable and waiting) and never acknowledged.
            var (second, secondAnswered) = Set(master, "k2");
            Assert.Equal(second, (await ReceiveBatchAsync(slave)).Items[^1].End);
            var waitingSince = time.GetUtcNow();
            Assert.False(secondAnswered.IsCompleted, "answered without an ack while semi-sync was ON");

            // Semi-sync timeout, on the fake clock only: the write is answered (degraded) and semi-sync is OFF.
            await AdvanceUntilAsync(time, () => secondAnswered.IsCompleted, SemiSyncTimeout / 20, "the waiting write answered");
            var view = master.SemiSyncView();
            Assert.False(view.Status);
            Assert.Equal(1, view.NoTimes);
            Assert.True(view.LastSwitchAt - waitingSince >= SemiSyncTimeout,
                $"semi-sync switched OFF after {view.LastSwitchAt - waitingSince}, before its {SemiSyncTimeout} timeout");
            Assert.Contains(events.Kinds, kind => kind == "semisync-off");
            Assert.False(session.IsCompleted, "the link dropped before its timeout");

            // Link timeout, on the fake clock only: nothing has come from the slave since its ack.
            await AdvanceUntilAsync(time, () => session.IsCompleted, LinkTimeout / 20, "the silent link dropped");
            await Assert.ThrowsAsync<LinkTimeoutException>(() => session);
            Assert.True(time.GetUtcNow() - waitingSince >= LinkTimeout, $"the link dropped after {time.GetUtcNow() - waitingSince} of silence");
            Assert.Empty(master.SlaveLinks);
            Assert.Contains(events.Kinds, kind => kind == "link-timeout");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(session, Task.Delay(RealBound));
            master.Stop();
        }
    }

    private static DataNode StartMaster(TimeProvider time, RecordedEvents events)
    {
        var replication = ReplicationSettings.Default with { Secret = Secret, LinkTimeout = LinkTimeout };
        var settings = new NodeSettings("m1", NodeRole.Master, RepositoryPaths.NewTempDirectory("fake-clock"), 1, 1024 * 1024, 200,
            replication, FaultSettings.None, SemiSync: SemiSyncConfig.Default with { TimeoutMs = (long)SemiSyncTimeout.TotalMilliseconds },
            ConfiguredSlaves: 1)
        {
            SlaveIds = new HashSet<string>(["s1"], StringComparer.Ordinal),
        };
        var master = new DataNode(settings, events, NullLogger.Instance, time, new FaultInjector(false));
        master.Start();
        Assert.Equal(NodeState.Running, master.State);
        return master;
    }

    /// <summary>Handshake and a TrySync at the master's end (an empty binlog): returns where streaming starts.</summary>
    private static async Task<BinlogPosition> LinkAsync(FrameChannel slave, DataNode master)
    {
        var greeting = await slave.ReceiveAsync<Greeting>(RealDeadline());
        await slave.SendAsync(new Hello(ReplicationCodec.ProtocolVersion, "s1", "m1", HandshakeProof.Compute(Secret, greeting.Nonce),
            greeting.ClusterId), RealDeadline());
        await slave.ReceiveAsync<Welcome>(RealDeadline());
        var at = master.Positions();
        await slave.SendAsync(new TrySync(at.End, at.EndLogical, at.LastApplied, at.End), RealDeadline());
        var reply = await slave.ReceiveAsync<TrySyncReply>(RealDeadline());
        Assert.Equal(TrySyncOutcome.Continue, reply.Outcome);
        return reply.From;
    }

    private static (BinlogPosition End, Task Answered) Set(DataNode master, string key)
    {
        var reply = new ArrayBufferWriter<byte>();
        var end = master.Execute(CommandTable.Find("SET")!, [Encoding.UTF8.GetBytes("SET"), Encoding.UTF8.GetBytes(key), "v"u8.ToArray()], reply);
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(reply.WrittenSpan));
        return (end, master.WaitRepliesAsync(BinlogPosition.Zero, end));
    }

    private static async Task<ItemBatch> ReceiveBatchAsync(FrameChannel slave)
    {
        while (true)
            if (await slave.ReceiveAsync(RealDeadline()) is ItemBatch { Items.Count: > 0 } batch)
                return batch;
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> at a time until <paramref name="done"/> holds (each step gives
    /// the node's loops a moment of real time to react): a deadline armed on the node's clock fires within a step of it,
    /// one armed on any other clock never does here.
    /// </summary>
    private static Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done, TimeSpan step, string what) =>
        Poll.UntilAsync(() =>
        {
            if (done())
                return true;
            time.Advance(step);
            return false;
        }, what + " as the fake clock advanced", RealBound);

    private static CancellationToken RealDeadline() => new CancellationTokenSource(RealBound).Token;

    /// <summary>The in-memory stand-in for a Kestrel connection: the same session code over a pipe pair.</summary>
    private sealed class PipeConnection(PipeReader input, PipeWriter output) : ConnectionContext
    {
        public override string ConnectionId { get; set; } = "fake-clock";
        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();
        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
        public override IDuplexPipe Transport { get; set; } = new DuplexPipe(input, output);

        private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
        {
            public PipeReader Input { get; } = input;
            public PipeWriter Output { get; } = output;
        }
    }

    private sealed class RecordedEvents : IEngineEventSink
    {
        private readonly ConcurrentQueue<EngineEvent> _events = new();

        public IReadOnlyList<string> Kinds => _events.Select(e => e.Kind).ToList();

        public void Publish(EngineEvent engineEvent) => _events.Enqueue(engineEvent);
    }
}
