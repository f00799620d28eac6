using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.PubSub;

namespace ReplDash.Engine.Core.Tests.PubSub;

/// <summary>Who receives a message, and the counts SUBSCRIBE, PUBSUB NUMSUB and NUMPAT report, as Redis counts them.</summary>
public class PubSubRegistryTests
{
    private sealed class Client(string name)
    {
        public override string ToString() => name;
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void SubscribeCounts_AreChannelsPlusPatterns_AndRepeatsAreNotCounted()
    {
        var registry = new PubSubRegistry<Client>();
        var a = new Client("a");

        Assert.Equal(1, registry.Subscribe(a, B("news")));
        Assert.Equal(1, registry.Subscribe(a, B("news")));
        Assert.Equal(2, registry.PSubscribe(a, B("n*")));
        Assert.Equal(3, registry.Subscribe(a, B("sport")));
        Assert.Equal(2, registry.Unsubscribe(a, B("news")));
        Assert.Equal(2, registry.Unsubscribe(a, B("never-subscribed")));
        Assert.Equal((1, 1), registry.CountsOf(a));
    }

    [Fact]
    public void Receivers_AreChannelSubscribersThenEachMatchingPattern()
    {
        var registry = new PubSubRegistry<Client>();
        var (a, b, c) = (new Client("a"), new Client("b"), new Client("c"));
        registry.Subscribe(a, B("news.tech"));
        registry.PSubscribe(b, B("news.*"));
        registry.PSubscribe(b, B("*tech"));
        registry.PSubscribe(c, B("sport.*"));

        var receivers = registry.Receivers(B("news.tech"));

        Assert.Equal(3, receivers.Count);
        Assert.Contains((a, (byte[]?)null), receivers.Select(r => (r.Subscriber, r.Pattern)));
        Assert.Equal(["*tech", "news.*"], receivers.Where(r => r.Subscriber == b).Select(r => Encoding.UTF8.GetString(r.Pattern!)).Order());
        Assert.Empty(registry.Receivers(B("weather")));
    }

    [Fact]
    public void PubSubIntrospection_CountsChannelSubscribersAndDistinctPatterns()
    {
        var registry = new PubSubRegistry<Client>();
        var (a, b) = (new Client("a"), new Client("b"));
        registry.Subscribe(a, B("x"));
        registry.Subscribe(b, B("x"));
        registry.Subscribe(b, B("y"));
        registry.PSubscribe(a, B("p*"));
        registry.PSubscribe(b, B("p*"));

        Assert.Equal(2, registry.SubscriberCount(B("x")));
        Assert.Equal(0, registry.SubscriberCount(B("p1")));
        Assert.Equal(1, registry.PatternCount);
        Assert.Equal(["x", "y"], registry.ActiveChannels(null).Select(Encoding.UTF8.GetString).Order());
        Assert.Equal(["y"], registry.ActiveChannels(B("y*")).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void RemoveAll_LeavesNothingBehind()
    {
        var registry = new PubSubRegistry<Client>();
        var a = new Client("a");
        registry.Subscribe(a, B("x"));
        registry.PSubscribe(a, B("p*"));

        registry.RemoveAll(a);

        Assert.Empty(registry.ActiveChannels(null));
        Assert.Equal(0, registry.PatternCount);
        Assert.Empty(registry.Receivers(B("x")));
        Assert.Equal((0, 0), registry.CountsOf(a));
    }

    [Fact]
    public void ChannelsOf_KeepsSubscriptionOrder_ForUnsubscribeWithoutArguments()
    {
        var registry = new PubSubRegistry<Client>();
        var a = new Client("a");
        foreach (var name in (string[])["c", "a", "b"])
            registry.Subscribe(a, B(name));

        Assert.Equal(["c", "a", "b"], registry.ChannelsOf(a).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void PublishItem_RoundTripsThroughTheBinlogCodec_AndReplaySkipsIt()
    {
        var item = PublishItem.ToItem(new TransactionId("m1", 7), 123, B("ch"), B("hello"));

        var status = BinlogItemCodec.TryDecode(BinlogItemCodec.Encode(item), out var decoded, out _);

        Assert.Equal(ItemDecodeStatus.Ok, status);
        Assert.Equal(BinlogItemType.Publish, decoded!.Type);
        Assert.True(PublishItem.TryParse(decoded, out var channel, out var message));
        Assert.Equal("ch", Encoding.UTF8.GetString(channel));
        Assert.Equal("hello", Encoding.UTF8.GetString(message));
        // Replay (a restart, a slave's relay log) changes nothing and does not take PUBLISH for an unknown command.
        var store = new KeyspaceStore();
        new ItemApplier(store).Apply(decoded);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void PublishItem_TryParse_RefusesOtherItems()
    {
        var transaction = new BinlogItem(BinlogItemType.Transaction, new TransactionId("m1", 1), 0, [[B("PUBLISH"), B("c"), B("m")]]);
        Assert.False(PublishItem.TryParse(transaction, out _, out _));
    }
}
