using System.Text;
using ReplDash.Engine.Binlog;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Binlog;

/// <summary>Writes real binlog files through <see cref="BinlogWriter"/> for recovery tests.</summary>
internal static class BinlogTestLog
{
    public static BinlogItem Item(long sequence, string key, string value) =>
        new(BinlogItemType.Transaction, new TransactionId("m1", sequence), 1_700_000_000_000 + sequence,
            [[Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(value)]]);

    /// <summary>Creates a binlog with <paramref name="count"/> items, synced, and returns each item's start and end.</summary>
    public static (string Directory, List<(BinlogPosition Start, BinlogPosition End)> Items) Write(int count, long segmentBytes = 64 * 1024 * 1024)
    {
        var directory = RepositoryPaths.NewTempDirectory("binlog");
        var positions = new List<(BinlogPosition, BinlogPosition)>();
        var durable = new TaskCompletionSource();
        var recovered = BinlogRecovery.Open(directory);
        using (var writer = new BinlogWriter(recovered, 1, segmentBytes, _ => { }, e => durable.TrySetException(e)))
        {
            for (int i = 1; i <= count; i++)
                positions.Add(writer.Append(Item(i, $"key{i}", new string('v', i % 50))));
        }
        return (directory, positions);
    }

    /// <summary>
    /// Damages a stopped node's binlog so that it cannot recover: flips a byte inside the payload of item
    /// <paramref name="itemIndex"/> (0-based) of its first segment and deletes its store, so start-up must replay
    /// through the bad item. Returns where the damaged item starts.
    /// </summary>
    public static BinlogPosition CorruptItemAndDropStore(string nodeDirectory, int itemIndex)
    {
        var binlogDir = Path.Combine(nodeDirectory, "binlog");
        var recovered = BinlogRecovery.Open(binlogDir);
        var victim = new BinlogReader(binlogDir).Read(recovered.Start, recovered.End).ElementAt(itemIndex);
        foreach (var file in Directory.GetFiles(nodeDirectory, "store.db*"))
            File.Delete(file);
        using var segment = new FileStream(BinlogDirectory.SegmentPath(binlogDir, 1), FileMode.Open);
        segment.Position = victim.Start.Offset + 40;
        segment.WriteByte(0x5A);
        return victim.Start;
    }
}
