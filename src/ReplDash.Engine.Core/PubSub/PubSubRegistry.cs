using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.PubSub;

/// <summary>
/// Who listens to what on one node: channels and patterns (Redis's glob) per subscriber. Thread-safe; one lock,
/// held only for dictionary work (never while a message is written to a socket).
/// </summary>
/// <typeparam name="TSubscriber">A connection (compared by reference).</typeparam>
public sealed class PubSubRegistry<TSubscriber> where TSubscriber : class
{
    private readonly object _gate = new();
    private readonly Dictionary<byte[], HashSet<TSubscriber>> _channels = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], HashSet<TSubscriber>> _patterns = new(ByteArrayComparer.Instance);
    private readonly Dictionary<TSubscriber, Subscriptions> _bySubscriber = new(ReferenceEqualityComparer.Instance);

    private sealed class Subscriptions
    {
        // Insertion order: UNSUBSCRIBE with no argument confirms them in the order they were made, as Redis does.
        public readonly List<byte[]> Channels = new();
        public readonly List<byte[]> Patterns = new();
        public int Count => Channels.Count + Patterns.Count;
    }

    /// <summary>Subscribes to a channel; returns the subscriber's channel and pattern count after it.</summary>
    public int Subscribe(TSubscriber subscriber, byte[] channel) => Add(subscriber, channel, _channels, s => s.Channels);

    /// <summary>Subscribes to a pattern; returns the subscriber's channel and pattern count after it.</summary>
    public int PSubscribe(TSubscriber subscriber, byte[] pattern) => Add(subscriber, pattern, _patterns, s => s.Patterns);

    /// <summary>Leaves a channel (a channel not subscribed is fine); returns the count after it.</summary>
    public int Unsubscribe(TSubscriber subscriber, byte[] channel) => Remove(subscriber, channel, _channels, s => s.Channels);

    /// <summary>Leaves a pattern; returns the count after it.</summary>
    public int PUnsubscribe(TSubscriber subscriber, byte[] pattern) => Remove(subscriber, pattern, _patterns, s => s.Patterns);

    /// <summary>The subscriber's channels, in subscription order.</summary>
    public IReadOnlyList<byte[]> ChannelsOf(TSubscriber subscriber)
    {
        lock (_gate)
            return _bySubscriber.TryGetValue(subscriber, out var s) ? s.Channels.ToArray() : [];
    }

    /// <summary>The subscriber's patterns, in subscription order.</summary>
    public IReadOnlyList<byte[]> PatternsOf(TSubscriber subscriber)
    {
        lock (_gate)
            return _bySubscriber.TryGetValue(subscriber, out var s) ? s.Patterns.ToArray() : [];
    }

    /// <summary>How many channels and patterns the subscriber listens to.</summary>
    public (int Channels, int Patterns) CountsOf(TSubscriber subscriber)
    {
        lock (_gate)
            return _bySubscriber.TryGetValue(subscriber, out var s) ? (s.Channels.Count, s.Patterns.Count) : (0, 0);
    }

    /// <summary>Drops every subscription of a subscriber (its connection closed or sent RESET).</summary>
    public void RemoveAll(TSubscriber subscriber)
    {
        lock (_gate)
        {
            if (!_bySubscriber.Remove(subscriber, out var s))
                return;
            foreach (var channel in s.Channels)
                Detach(_channels, channel, subscriber);
            foreach (var pattern in s.Patterns)
                Detach(_patterns, pattern, subscriber);
        }
    }

    /// <summary>
    /// Who receives a message on <paramref name="channel"/>: each channel subscriber once (pattern null), then each
    /// matching pattern subscription (a subscriber with two matching patterns gets it twice, as in Redis).
    /// </summary>
    public List<(TSubscriber Subscriber, byte[]? Pattern)> Receivers(byte[] channel)
    {
        var receivers = new List<(TSubscriber, byte[]?)>();
        lock (_gate)
        {
            if (_channels.TryGetValue(channel, out var direct))
                foreach (var subscriber in direct)
                    receivers.Add((subscriber, null));
            foreach (var (pattern, subscribers) in _patterns)
                if (GlobPattern.IsMatch(pattern, channel))
                    foreach (var subscriber in subscribers)
                        receivers.Add((subscriber, pattern));
        }
        return receivers;
    }

    /// <summary>PUBSUB CHANNELS: the channels with at least one subscriber, optionally only those matching a glob.</summary>
    public List<byte[]> ActiveChannels(byte[]? pattern)
    {
        lock (_gate)
            return _channels.Keys.Where(c => pattern is null || GlobPattern.IsMatch(pattern, c)).ToList();
    }

    /// <summary>PUBSUB NUMSUB: subscribers of one channel (patterns not counted, as in Redis).</summary>
    public int SubscriberCount(byte[] channel)
    {
        lock (_gate)
            return _channels.TryGetValue(channel, out var s) ? s.Count : 0;
    }

    /// <summary>PUBSUB NUMPAT: distinct patterns subscribed by anyone.</summary>
    public int PatternCount
    {
        get
        {
            lock (_gate)
                return _patterns.Count;
        }
    }

    private int Add(TSubscriber subscriber, byte[] name, Dictionary<byte[], HashSet<TSubscriber>> index, Func<Subscriptions, List<byte[]>> list)
    {
        lock (_gate)
        {
            if (!_bySubscriber.TryGetValue(subscriber, out var s))
                _bySubscriber[subscriber] = s = new Subscriptions();
            if (!index.TryGetValue(name, out var subscribers))
                index[name] = subscribers = new HashSet<TSubscriber>(ReferenceEqualityComparer.Instance);
            if (subscribers.Add(subscriber))
                list(s).Add(name);
            return s.Count;
        }
    }

    private int Remove(TSubscriber subscriber, byte[] name, Dictionary<byte[], HashSet<TSubscriber>> index, Func<Subscriptions, List<byte[]>> list)
    {
        lock (_gate)
        {
            if (!_bySubscriber.TryGetValue(subscriber, out var s))
                return 0;
            if (Detach(index, name, subscriber))
                list(s).RemoveAll(n => n.AsSpan().SequenceEqual(name));
            int count = s.Count;
            if (count == 0)
                _bySubscriber.Remove(subscriber);
            return count;
        }
    }

    private static bool Detach(Dictionary<byte[], HashSet<TSubscriber>> index, byte[] name, TSubscriber subscriber)
    {
        if (!index.TryGetValue(name, out var subscribers) || !subscribers.Remove(subscriber))
            return false;
        if (subscribers.Count == 0)
            index.Remove(name);
        return true;
    }
}
