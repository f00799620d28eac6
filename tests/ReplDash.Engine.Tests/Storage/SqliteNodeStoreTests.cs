using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Storage;
using ReplDash.Testing;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Tests.Storage;

/// <summary>Checkpoints written to a real SQLite file and read back after reopening it.</summary>
public class SqliteNodeStoreTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Checkpoint_WritesUpdatesAndDeletions_IncludingEmptyKeysAndValues_WithItsPosition()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store"), "node.db");
        var first = new AppliedState(new BinlogPosition(1, 100), 84, new TransactionId("m1", 3));
        var second = new AppliedState(new BinlogPosition(2, 40), 500, new TransactionId("m1", 9));
        using (var store = new SqliteNodeStore(path))
        {
            store.Checkpoint(new DirtyKeys(false, [
                new StoredEntry(Bytes("a"), ValueType.String, Bytes("1"), 0),
                new StoredEntry(Bytes(""), ValueType.String, Bytes("empty key"), 0),
                new StoredEntry(Bytes("empty value"), ValueType.String, [], 0),
                new StoredEntry(Bytes("gone"), ValueType.String, Bytes("soon"), 0),
            ]), first);
            store.Checkpoint(new DirtyKeys(false, [
                new StoredEntry(Bytes("a"), ValueType.String, Bytes("2"), 1_900_000_000_000),
                new StoredEntry(Bytes("gone"), ValueType.String, null, 0),
            ]), second);
        }

        using var reopened = new SqliteNodeStore(path);
        var stored = reopened.ReadAll().ToDictionary(e => Encoding.UTF8.GetString(e.Key));
        Assert.Equal(["", "a", "empty value"], stored.Keys.Order());
        Assert.Equal("2", Encoding.UTF8.GetString(stored["a"].Value!));
        Assert.Equal(1_900_000_000_000, stored["a"].ExpireAtMs);
        Assert.Equal("empty key", Encoding.UTF8.GetString(stored[""].Value!));
        Assert.Empty(stored["empty value"].Value!);
        Assert.Equal(second, reopened.ReadAppliedState());
    }

    [Fact]
    public void Checkpoint_AfterFlushAll_KeepsOnlyTheKeysWrittenSince()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store"), "node.db");
        var state = new AppliedState(new BinlogPosition(1, 60), 44, new TransactionId("m1", 2));
        using var store = new SqliteNodeStore(path);
        store.Checkpoint(new DirtyKeys(false, [new StoredEntry(Bytes("old"), ValueType.String, Bytes("x"), 0)]), state);
        store.Checkpoint(new DirtyKeys(true, [new StoredEntry(Bytes("new"), ValueType.String, Bytes("y"), 0)]), state);

        Assert.Equal(["new"], store.ReadAll().Select(e => Encoding.UTF8.GetString(e.Key)));
    }
}
