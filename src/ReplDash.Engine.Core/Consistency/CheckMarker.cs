using System.Globalization;
using System.Text;
using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>What a check marker asks every node to compute for its chunk.</summary>
public enum CheckMarkerKind : byte
{
    /// <summary>The chunk's key count and digest (XOR of every key's digest).</summary>
    Digest = 1,
    /// <summary>The digest and, per key, its type, expiry and value digest: the drill-down of a chunk that differed.</summary>
    Keys = 2,
}

/// <summary>
/// A consistency check's marker: an item of type <see cref="BinlogItemType.CheckMarker"/> in the binlog. The master
/// computes its result when it appends the marker; every slave computes its own when it applies it, so all
/// compare the chunk at exactly the same logical position (docs/CONSISTENCY.md).
/// </summary>
/// <remarks>
/// Carried in the item's ordinary body (docs/BINLOG-FORMAT.md) as one command of seven arguments:
/// <c>CHECK checkId kind chunk bucketFrom bucketTo bucketCount</c>, numbers in ASCII decimal. The chunk is the
/// buckets [bucketFrom, bucketTo) of bucketCount.
/// </remarks>
/// <param name="CheckId">The run this marker belongs to (the dashboard's run id).</param>
/// <param name="Chunk">Sequence number of the request within the run (a re-issued chunk gets a new one).</param>
/// <param name="Kind">Digest only, or per-key digests too.</param>
/// <param name="BucketFrom">First bucket of the chunk.</param>
/// <param name="BucketTo">End (exclusive) of the chunk.</param>
public sealed record CheckMarker(string CheckId, int Chunk, CheckMarkerKind Kind, int BucketFrom, int BucketTo)
{
    private static readonly byte[] CommandName = "CHECK"u8.ToArray();

    /// <summary>Longest check id accepted (it travels in every marker and result).</summary>
    public const int MaxCheckIdBytes = 64;

    /// <summary>The marker as binlog item commands.</summary>
    public IReadOnlyList<byte[][]> ToCommands()
    {
        Validate();
        return [[CommandName, Encoding.UTF8.GetBytes(CheckId), Number((int)Kind), Number(Chunk), Number(BucketFrom), Number(BucketTo), Number(KeyBuckets.Count)]];
    }

    /// <summary>Builds the binlog item of this marker.</summary>
    public BinlogItem ToItem(TransactionId id, long timestampMs) => new(BinlogItemType.CheckMarker, id, timestampMs, ToCommands());

    /// <summary>Reads the marker of a <see cref="BinlogItemType.CheckMarker"/> item; false with a reason when malformed.</summary>
    public static bool TryParse(BinlogItem item, out CheckMarker? marker, out string error)
    {
        marker = null;
        error = "";
        if (item.Type != BinlogItemType.CheckMarker || item.Commands.Count != 1 || item.Commands[0].Length != 7
            || !item.Commands[0][0].AsSpan().SequenceEqual(CommandName))
        {
            error = "not a CHECK marker of seven arguments";
            return false;
        }
        var args = item.Commands[0];
        if (!TryNumber(args[2], out int kind) || !TryNumber(args[3], out int chunk) || !TryNumber(args[4], out int from)
            || !TryNumber(args[5], out int to) || !TryNumber(args[6], out int count))
        {
            error = "a marker field is not a number";
            return false;
        }
        if (count != KeyBuckets.Count)
        {
            error = $"marker uses {count} buckets; this build uses {KeyBuckets.Count}";
            return false;
        }
        var candidate = new CheckMarker(Encoding.UTF8.GetString(args[1]), chunk, (CheckMarkerKind)kind, from, to);
        if (!candidate.IsValid(out error))
            return false;
        marker = candidate;
        return true;
    }

    private void Validate()
    {
        if (!IsValid(out string error))
            throw new ArgumentException(error);
    }

    private bool IsValid(out string error)
    {
        error = "";
        int idBytes = Encoding.UTF8.GetByteCount(CheckId);
        if (idBytes is 0 or > MaxCheckIdBytes)
            error = $"check id must be 1..{MaxCheckIdBytes} bytes";
        else if (!Enum.IsDefined(Kind))
            error = $"unknown marker kind {(byte)Kind}";
        else if (BucketFrom < 0 || BucketTo > KeyBuckets.Count || BucketFrom >= BucketTo)
            error = $"bucket range [{BucketFrom}, {BucketTo}) is not inside [0, {KeyBuckets.Count})";
        else if (Chunk < 0)
            error = "chunk number is negative";
        return error.Length == 0;
    }

    private static byte[] Number(int value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static bool TryNumber(byte[] text, out int value) =>
        int.TryParse(Encoding.ASCII.GetString(text), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
