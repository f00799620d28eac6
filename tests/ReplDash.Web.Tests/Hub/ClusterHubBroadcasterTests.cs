using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Web.Api;
using ReplDash.Web.Cluster;
using ReplDash.Web.Events;
using ReplDash.Web.Hubs;
using ReplDash.Web.Store.Events;
using ReplDash.Web.Tests.Infrastructure;

namespace ReplDash.Web.Tests.Hub;

/// <summary>
/// The broadcaster against a hub whose clients hang: the notifier's polls and the event writer's hand-over
/// never wait for them, a push they never take is cancelled after the send timeout, and the next push is the
/// newest snapshot, not a backlog.
/// </summary>
public sealed class ClusterHubBroadcasterTests
{
    private readonly FakeClusterStatus _cluster = new();
    private readonly ClusterNotifier _notifier;
    private readonly StoredEventFeed _feed = new(NullLogger<StoredEventFeed>.Instance);
    private readonly GatedClientProxy _clients = new();
    private readonly ClusterHubBroadcaster _broadcaster;

    public ClusterHubBroadcasterTests()
    {
        _notifier = new ClusterNotifier(_cluster, TimeProvider.System, NullLogger<ClusterNotifier>.Instance);
        _broadcaster = NewBroadcaster(TimeProvider.System);
    }

    private ClusterHubBroadcaster NewBroadcaster(TimeProvider time) =>
        new(new FakeHubContext(_clients), _notifier, _feed, time, NullLogger<ClusterHubBroadcaster>.Instance);

    /// <summary>The system clock whose timers never fire: a push can hang for as long as a test needs.</summary>
    private sealed class NoTimeoutsTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact(Timeout = 30_000)] // a poll that blocked on the hung client would hang the test: a failure, not a stuck run
    public async Task HungClients_DoNotBlockPolls_AndTheNextPushIsTheNewestSnapshot()
    {
        // The send timeout must not end the hung push while the test is still polling (a stalled test
        // thread would otherwise see a later snapshot pushed first): its clock never fires.
        var broadcaster = NewBroadcaster(new NoTimeoutsTimeProvider());
        await broadcaster.StartAsync(CancellationToken.None);
        try
        {
            PollAt(offset: 100);
            await Eventually.TrueAsync(() => Task.FromResult(_clients.Sent.Count == 1), "the first push to start (and hang)");

            // The hub is stuck in the first push; every poll must still return at once.
            for (var offset = 200; offset <= 600; offset += 100)
            {
                PollAt(offset);
            }

            _feed.Publish([new EventRecord { Id = 7, TimeUtc = DateTime.UtcNow, NodeId = "m1", Kind = "link-up", Message = "up" }]);
            _clients.Release();

            await Eventually.TrueAsync(() => Task.FromResult(_clients.Sent.Count >= 3), "the pushes after the hang");
            var snapshots = _clients.Sent.Where(s => s.Method == ClusterHub.SnapshotMethod).Select(s => (ClusterSnapshotMessage)s.Payload).ToList();
            Assert.Equal("binlog.000003:100", snapshots[0].Nodes[0].BinlogEnd);
            Assert.Equal("binlog.000003:600", snapshots[1].Nodes[0].BinlogEnd); // 200..500 were superseded, not queued
            var pushedEvent = (EventDto)_clients.Sent.Single(s => s.Method == ClusterHub.EventMethod).Payload;
            Assert.Equal(7, pushedEvent.Id);
        }
        finally
        {
            _clients.Release();
            await broadcaster.StopAsync(CancellationToken.None);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ClientsThatNeverDrain_PushIsCancelledAfterSendTimeout_AndTheNextSnapshotGoesOut()
    {
        await _broadcaster.StartAsync(CancellationToken.None);
        try
        {
            PollAt(offset: 100);
            await Eventually.TrueAsync(() => Task.FromResult(_clients.Sent.Count == 1), "the first push to start (and hang)");
            PollAt(offset: 200);

            // The gate is never opened: only the send timeout can free the loop.
            await Eventually.TrueAsync(() => Task.FromResult(_clients.Sent.Count == 2), "the push after the hung one");
            Assert.Equal("binlog.000003:200", ((ClusterSnapshotMessage)_clients.Sent[1].Payload).Nodes[0].BinlogEnd);
            Assert.True(_clients.CancelledCount >= 1, "the hung push was not cancelled");
        }
        finally
        {
            _clients.Release();
            await _broadcaster.StopAsync(CancellationToken.None);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task UnchangedStatus_IsPushedOnEveryPoll()
    {
        _clients.Release();
        await _broadcaster.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                _notifier.Poll();
                var expected = i + 1;
                await Eventually.TrueAsync(() => Task.FromResult(_clients.Sent.Count == expected), $"push {expected}");
            }

            Assert.All(_clients.Sent, s => Assert.Equal(ClusterHub.SnapshotMethod, s.Method));
        }
        finally
        {
            await _broadcaster.StopAsync(CancellationToken.None);
        }
    }

    private void PollAt(long offset)
    {
        _cluster.Current = [_cluster.Current[0] with { BinlogEnd = new BinlogPosition(3, offset) }, _cluster.Current[1]];
        _notifier.Poll();
    }

    /// <summary>All clients: records every push; pushes wait on a gate until <see cref="Release"/>.</summary>
    private sealed class GatedClientProxy : IClientProxy
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(string Method, object Payload)> _sent = [];
        private int _cancelledCount;

        public IReadOnlyList<(string Method, object Payload)> Sent { get { lock (_sent) return _sent.ToList(); } }

        public void Release() => _gate.TrySetResult();

        public int CancelledCount => Volatile.Read(ref _cancelledCount);

        public async Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (_sent) _sent.Add((method, args[0]!));
            try
            {
                // Like a real connection whose socket never drains: waits until released or cancelled.
                await _gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelledCount);
                throw;
            }
        }
    }

    private sealed class FakeHubContext(IClientProxy all) : IHubContext<ClusterHub>
    {
        public IHubClients Clients { get; } = new FakeHubClients(all);

        public IGroupManager Groups => throw new NotSupportedException();
    }

    private sealed class FakeHubClients(IClientProxy all) : IHubClients
    {
        public IClientProxy All => all;
        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Client(string connectionId) => throw new NotSupportedException();
        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public IClientProxy Group(string groupName) => throw new NotSupportedException();
        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public IClientProxy User(string userId) => throw new NotSupportedException();
        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }
}
