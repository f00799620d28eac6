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
}
