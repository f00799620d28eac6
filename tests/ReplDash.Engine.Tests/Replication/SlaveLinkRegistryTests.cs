using Microsoft.Extensions.Logging.Abstractions;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A master's slave links, below the handshake: one link per slave id, and acknowledgements counted per accepted
/// slave identity, so that an id the configuration does not name never counts for semi-sync or WAIT, whatever
/// registered it.
/// </summary>
public class SlaveLinkRegistryTests
{
    private static readonly BinlogPosition Target = new(1, 1000);

    [Fact]
    public void AnUnconfiguredId_NeverCounts_AndAConfiguredOneCountsOnce()
    {
        var master = NewMaster();

        Streaming(master.TryAddSlaveLink("stranger", "10.0.0.9:1", out _)!, Target);
        Assert.Equal(0, master.CountSlavesAcknowledged(Target));

        var s1 = master.TryAddSlaveLink("s1", "127.0.0.1:2", out var none)!;
        Assert.Null(none);
        Streaming(s1, Target);
        Assert.Equal(1, master.CountSlavesAcknowledged(Target));
        Assert.Equal(1, master.SemiSyncView().Clients);
    }

    [Fact]
    public void ASecondLinkForAnId_IsNotRegistered_UntilTheFirstIsRemoved()
    {
        var master = NewMaster();
        var first = master.TryAddSlaveLink("s1", "127.0.0.1:2", out _)!;

        Assert.Null(master.TryAddSlaveLink("s1", "127.0.0.1:3", out var holder));
        Assert.Same(first, holder);
        Assert.Single(master.SlaveLinks);

        var removed = master.SlaveLinkRemoved;
        Assert.False(removed.IsCompleted);
        master.RemoveSlaveLink(first);
        Assert.True(removed.IsCompleted, "a Hello waiting for the old link's removal must be woken");
        var second = master.TryAddSlaveLink("s1", "127.0.0.1:3", out _);
        Assert.NotNull(second);
        Assert.Equal("127.0.0.1:3", Assert.Single(master.SlaveLinks).Address);
    }

    private static DataNode NewMaster()
    {
        var settings = new NodeSettings("m1", NodeRole.Master, Path.Combine(Path.GetTempPath(), "unused"), 1, 64 * 1024, 200,
            ReplicationSettings.Default, FaultSettings.None, SemiSync: Core.SemiSync.SemiSyncConfig.Default,
            ConfiguredSlaves: 2)
        {
            SlaveIds = new HashSet<string>(["s1", "s2"], StringComparer.Ordinal),
        };
        // Never started: the links and the ack count need no binlog.
        return new DataNode(settings, new DiscardEvents(), NullLogger.Instance, TimeProvider.System, new FaultInjector(false));
    }

    private static void Streaming(SlaveLink link, BinlogPosition acked)
    {
        link.WindowMoved(acked, acked, 0, 0);
        link.MoveTo("streaming");
    }

    private sealed class DiscardEvents : IEngineEventSink
    {
        public void Publish(EngineEvent engineEvent)
        {
        }
    }
}
