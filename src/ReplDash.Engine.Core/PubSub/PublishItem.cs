using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.PubSub;

/// <summary>
/// A PUBLISH carried to the slaves in the binlog (item type 3, docs/BINLOG-FORMAT.md): one command
/// <c>PUBLISH channel message</c>. It changes no data: replay skips it, and a slave delivers it to its own subscribers
/// when it applies it, in order with the writes around it (as Redis's replication stream carries PUBLISH).
/// </summary>
public static class PublishItem
{
    private static readonly byte[] Name = "PUBLISH"u8.ToArray();

    /// <summary>The item for one PUBLISH.</summary>
    public static BinlogItem ToItem(TransactionId id, long timestampMs, byte[] channel, byte[] message) =>
        new(BinlogItemType.Publish, id, timestampMs, [[Name, channel, message]]);

    /// <summary>Reads the channel and message of a publish item; false when the item is not a well-formed one.</summary>
    public static bool TryParse(BinlogItem item, out byte[] channel, out byte[] message)
    {
        channel = message = [];
        if (item.Type != BinlogItemType.Publish || item.Commands.Count != 1)
            return false;
        var command = item.Commands[0];
        if (command.Length != 3 || !command[0].AsSpan().SequenceEqual(Name))
            return false;
        (channel, message) = (command[1], command[2]);
        return true;
    }
}
