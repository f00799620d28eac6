using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Node;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Node;

/// <summary>
/// The threading rules of a session's reusable reply wait (docs/ARCHITECTURE.md, workflow 1, steps 5-6): released
/// inline on the thread that moves the position, in position order, never before the position; failed on the thread
/// pool, never inline (a failure may be raised under the node lock); reusable for every wait of a connection.
/// </summary>
public class ReplyWaiterTests
{
    private static BinlogPosition P(long offset) => new(1, offset);

    [Fact]
    public async Task Release_ResumesTheSessionInline_OnTheAdvancingThread_OnlyOnceThePositionIsReached()
    {
        var positions = new PositionWaiters(P(100));
        var waiter = new ReplyWaiter();
        int resumedOn = 0;
        bool inline = false;
        var session = Task.Run(async () =>
        {
            await positions.WaitAsync(P(200), waiter);
            resumedOn = Environment.CurrentManagedThreadId;
            inline = waiter.TakeReleasedInline();
        });
        await Poll.UntilAsync(() => positions.WaitingCount == 1, "the session waits");

        positions.Advance(P(150)); // not far enough: still waiting
        Assert.False(session.IsCompleted);

        int advancer = 0;
        var flusher = new Thread(() =>
        {
            advancer = Environment.CurrentManagedThreadId;
            positions.Advance(P(200));
        });
        flusher.Start();
        flusher.Join();
        await session.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(advancer, resumedOn);
        Assert.True(inline);
    }

    [Fact]
    public Task Advance_ReleasesWaitersInPositionOrder() => Task.Run(async () => // no synchronization context, as the flusher
    {
        var positions = new PositionWaiters(P(0));
        var order = new List<long>();
        var sessions = new List<Task>();
        foreach (long target in new long[] { 300, 100, 200 })
        {
            var waiter = new ReplyWaiter();
            var wait = positions.WaitAsync(P(target), waiter);
            sessions.Add(Resume(wait, () => order.Add(target)));
        }

        positions.Advance(P(300)); // one thread releases all three, inline, one after the other
        Assert.Equal([100, 200, 300], order);

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(10));

        static async Task Resume(ValueTask wait, Action then)
        {
            await wait;
            then();
        }
    });

    [Fact]
    public Task Fail_ReachesTheSessionOnTheThreadPool_NotInline() => Task.Run(async () => // no synchronization context
    {
        var positions = new PositionWaiters(P(0));
        var waiter = new ReplyWaiter();
        var gate = new object();
        bool? sessionSawGateHeld = null;
        var wait = positions.WaitAsync(P(100), waiter);
        var session = Observe();

        // The node fails waiters while holding its lock; an inline continuation would run inside it.
        lock (gate)
            positions.Fail(new NodeUnavailableException("node m1 failed: test"));

        await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(sessionSawGateHeld);

        async Task Observe()
        {
            try
            {
                await wait;
            }
            catch (NodeUnavailableException)
            {
                sessionSawGateHeld = Monitor.IsEntered(gate);
            }
        }
    });

    [Fact]
    public async Task OneWaiter_ServesEveryWaitOfAConnection()
    {
        var positions = new PositionWaiters(P(0));
        var waiter = new ReplyWaiter();
        const int Waits = 10_000;
        int resumedInline = 0;
        var session = Task.Run(async () =>
        {
            for (long i = 1; i <= Waits; i++)
            {
                await positions.WaitAsync(P(i), waiter);
                if (waiter.TakeReleasedInline())
                    resumedInline++;
            }
        });
        long armed = 0;
        // A thread of its own, as the binlog flusher (the test's thread has xunit's synchronization context, which a
        // session resumed there would capture for its next wait).
        var flusher = new Thread(() =>
        {
            for (long i = 1; i <= Waits; i++)
            {
                // After the first, each wait is armed inline, by the release of the one before it.
                if (!SpinWait.SpinUntil(() => positions.WaitingCount == 1, TimeSpan.FromSeconds(10)))
                    return;
                armed = i;
                positions.Advance(P(i));
            }
        });
        flusher.Start();
        flusher.Join();

        Assert.Equal(Waits, armed);
        await session.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Waits, resumedInline);
        Assert.Equal(0, positions.WaitingCount);
    }
}
