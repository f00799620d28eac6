using System.Collections.Concurrent;
using ReplDash.Engine.Core.PubSub;

namespace ReplDash.Engine.PubSub;

/// <summary>
/// One node's pub/sub and MONITOR fan-out: who is subscribed to what, who monitors, and delivery into each client's
/// <see cref="PushQueue"/>. Channels are per node, as they are per server in Redis.
/// </summary>
public sealed class PubSubHub
{
    private readonly ConcurrentDictionary<PushQueue, byte> _monitors = new(ReferenceEqualityComparer.Instance);
    private long _messagesDelivered;
    // Kept apart from the dictionary: ConcurrentDictionary.IsEmpty takes every lock when it is empty, and every command asks.
    private int _monitorCount;

    /// <summary>Subscriptions of this node's clients.</summary>
    public PubSubRegistry<PushQueue> Subscriptions { get; } = new();

    /// <summary>
    /// Delivers a message to every subscriber of the channel and of every matching pattern; returns how many
    /// receptions that made (Redis's PUBLISH reply).
    /// </summary>
    public int Deliver(byte[] channel, byte[] payload)
    {
        var receivers = Subscriptions.Receivers(channel);
        foreach (var (queue, pattern) in receivers)
            queue.TryPush(new ChannelMessage(pattern, channel, payload));
        Interlocked.Add(ref _messagesDelivered, receivers.Count);
        return receivers.Count;
    }

    /// <summary>Messages handed to subscribers since start.</summary>
    public long MessagesDelivered => Interlocked.Read(ref _messagesDelivered);

    /// <summary>True while at least one client monitors (the common case pays one check per command).</summary>
    public bool HasMonitors => Volatile.Read(ref _monitorCount) > 0;

    /// <summary>Number of monitoring clients.</summary>
    public int MonitorCount => Volatile.Read(ref _monitorCount);

    /// <summary>A client enters MONITOR mode.</summary>
    public void AddMonitor(PushQueue queue)
    {
        if (_monitors.TryAdd(queue, 0))
            Interlocked.Increment(ref _monitorCount);
    }

    /// <summary>A client leaves MONITOR mode (RESET, disconnect).</summary>
    public void RemoveMonitor(PushQueue queue)
    {
        if (_monitors.TryRemove(queue, out _))
            Interlocked.Decrement(ref _monitorCount);
    }

    /// <summary>Sends one MONITOR line to every monitor except <paramref name="source"/> (a monitor does not see its own commands).</summary>
    public void FeedMonitors(string line, PushQueue? source)
    {
        var message = new MonitorLine(line);
        foreach (var monitor in _monitors.Keys)
            if (!ReferenceEquals(monitor, source))
                monitor.TryPush(message);
    }
}
