using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Lesson L5 on the slave's side: the master lost the tail of its binlog and asks for it back. The relay log mirrors
/// the master's binlog at the same positions, so its items from where the master asks up to the durable relay end are
/// sent back byte for byte, in frames of bounded size; the master verifies every one.
/// </summary>
public static class SlaveTailSender
{
    private const int MaxFrameItems = 256;
    private const int MaxFrameBytes = 1024 * 1024;

    /// <summary>What was sent back.</summary>
    public readonly record struct SentTail(int Items, long Bytes);

    /// <summary>
    /// Sends the relay items in [<paramref name="from"/>, <paramref name="until"/>). When the relay log no longer holds
    /// <paramref name="from"/> (purged after a checkpoint, or not an item boundary here), tells the master so with an
    /// error frame and throws <see cref="HistoryDivergedException"/>: nothing can restore the master then, and the
    /// slave must keep what it holds.
    /// </summary>
    public static async Task<SentTail> SendAsync(FrameChannel channel, string relayDirectory, BinlogPosition from, BinlogPosition until,
        CancellationToken cancellation)
    {
        string? unavailable = Unavailable(relayDirectory, from);
        int items = 0;
        long bytes = 0;
        if (unavailable is null)
        {
            try
            {
                using var reader = new BinlogTailReader(relayDirectory, from);
                var frame = new List<ShippedItem>();
                long frameBytes = 0;
                while (reader.TryReadNext(until, out var item))
                {
                    frame.Add(item);
                    frameBytes += item.Encoded.Length;
                    items++;
                    bytes += item.Encoded.Length;
                    if (frame.Count >= MaxFrameItems || frameBytes >= MaxFrameBytes)
                    {
                        await channel.SendAsync(new TailItems(frame.ToArray(), Final: false), cancellation);
                        frame.Clear();
                        frameBytes = 0;
                    }
                }
                await channel.SendAsync(new TailItems(frame.ToArray(), Final: true), cancellation);
                return new SentTail(items, bytes);
            }
            catch (BinlogCorruptException e)
            {
                unavailable = $"the relay log cannot be read from {from}: {e.Message}";
            }
        }
        await channel.SendAsync(new ErrorMessage("TAIL_UNAVAILABLE", unavailable), cancellation);
        throw new HistoryDivergedException($"the master lost items this slave holds but they cannot be sent back: {unavailable}");
    }

    private static string? Unavailable(string relayDirectory, BinlogPosition from)
    {
        var path = BinlogDirectory.SegmentPath(relayDirectory, from.FileNumber);
        if (!File.Exists(path))
            return $"the relay log no longer holds {from} ({BinlogFileNames.SegmentName(from.FileNumber)} is gone)";
        var header = BinlogDirectory.ReadHeader(path);
        if (header is null)
            return $"the relay segment {BinlogFileNames.SegmentName(from.FileNumber)} has an invalid header";
        if (header.Value.FirstItemOffset > from.Offset)
            return $"the relay log starts after {from} (at offset {header.Value.FirstItemOffset})";
        return null;
    }
}
