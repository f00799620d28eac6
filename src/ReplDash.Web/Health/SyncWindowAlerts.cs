using ReplDash.Engine.Hosting;
using ReplDash.Web.Formatting;

namespace ReplDash.Web.Health;

/// <summary>
/// What is abnormal about a sync window, in one sentence, or null. The engine refuses an ack that does not
/// release an exact prefix of the window, so an accepted ack wider than the window, or more in flight than
/// the capacity, means the accounting is wrong and an operator must look (Pika's "SyncWin corruption").
/// </summary>
public static class SyncWindowAlerts
{
    /// <summary>The problem with <paramref name="link"/>'s window, or null when it looks sound.</summary>
    public static string? Check(SlaveLinkView link)
    {
        if (link.WindowItems > 0 && link.LastAckRangeItems > link.WindowItems)
        {
            return $"The last ack released {HumanFormat.Items(link.LastAckRangeItems)}, more than the window holds ({HumanFormat.Items(link.WindowItems)}).";
        }

        // An empty window always takes one item, however big, so only a multi-item ack past the byte capacity is wrong.
        if (link.WindowBytes > 0 && link.LastAckRangeBytes > link.WindowBytes && link.LastAckRangeItems > 1)
        {
            return $"The last ack released {HumanFormat.Bytes(link.LastAckRangeBytes)}, more than the window holds ({HumanFormat.Bytes(link.WindowBytes)}).";
        }

        if (link.WindowItems > 0 && link.InFlightItems > link.WindowItems)
        {
            return $"{HumanFormat.Items(link.InFlightItems)} in flight, more than the window's capacity ({HumanFormat.Items(link.WindowItems)}).";
        }

        if (link.WindowCorruptions > 0)
        {
            return $"{HumanFormat.Exact(link.WindowCorruptions)} ack(s) on this link did not match the window and were refused (each reset the link).";
        }

        return null;
    }
}
