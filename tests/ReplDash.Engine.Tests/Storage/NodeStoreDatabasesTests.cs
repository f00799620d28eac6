using System.Text;
using Microsoft.Data.Sqlite;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Storage;
using ReplDash.Testing;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Tests.Storage;

/// <summary>The node store keeps each key's database; a store of the previous release is upgraded in place.</summary>
public class NodeStoreDatabasesTests
{
    private static readonly AppliedState State = new(new BinlogPosition(1, 60), 44, new TransactionId("m1", 2));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static StoredEntry Key(string key, int database, string value = "v") =>
        new(Bytes(key), ValueType.String, Bytes(value), 0, database);

    private static List<(string Key, int Database, string Value)> Read(SqliteNodeStore store) =>
        store.ReadAll().Select(e => (Encoding.UTF8.GetString(e.Key), e.Database, Encoding.UTF8.GetString(e.Value!)))
            .OrderBy(e => e.Item2).ThenBy(e => e.Item1).ToList();

    [Fact]
    public void TheSameKey_InSeveralDatabases_IsStoredOncePerDatabase()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store-db"), "store.db");
        using (var store = new SqliteNodeStore(path))
        {
            Assert.Equal(0, store.SchemaVersionFound);
            store.Checkpoint(new DirtyKeys(false, [Key("k", 0, "zero"), Key("k", 3, "three"), Key("k", 15, "fifteen")]), State);
            store.Checkpoint(new DirtyKeys(false, [StoredEntry.Deleted(Bytes("k")) with { Database = 3 }]), State);
        }
        using var reopened = new SqliteNodeStore(path);
        Assert.Equal(NodeStoreSchema.CurrentVersion, reopened.SchemaVersionFound);
        Assert.Equal([("k", 0, "zero"), ("k", 15, "fifteen")], Read(reopened));
    }

    [Fact]
    public void SwapsAndFlushes_ReachTheStoreInOrder()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store-db"), "store.db");
        using var store = new SqliteNodeStore(path);
        store.Checkpoint(new DirtyKeys(false, [Key("a", 0), Key("b", 1), Key("c", 2), Key("shared", 0, "s0"), Key("shared", 1, "s1")]), State);

        // SWAPDB 0 1, SWAPDB 1 2, FLUSHDB of (now) 0, then a key written in 0: as KeyspaceDatabases.TakeDirty lists them.
        store.Checkpoint(new DirtyKeys(false, [Key("new", 0)]) { Swaps = [(0, 1), (1, 2)], FlushedDatabases = [0] }, State);
        Assert.Equal([("new", 0, "v"), ("c", 1, "v"), ("a", 2, "v"), ("shared", 2, "s0")], Read(store));

        // Kept changes of a failed checkpoint go first (Then / InOrder).
        var kept = new DirtyKeys(false, [Key("x", 5)]);
        store.Checkpoint(kept.Then(new DirtyKeys(false, []) { Swaps = [(5, 6)], FlushedDatabases = [6] }), State);
        Assert.DoesNotContain(Read(store), e => e.Key == "x");
    }

    [Fact]
    public void AHandMadePreviousReleaseStore_IsUpgradedInPlace_EveryKeyInDatabaseZero()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store-v1"), "store.db");
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            // The schema of the previous release (SqliteNodeStore before numbered databases), byte for byte in SQL.
            create.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS kv (
                    key BLOB PRIMARY KEY,
                    type INTEGER NOT NULL,
                    value BLOB NOT NULL,
                    expire_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS applied_position (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    file_number INTEGER NOT NULL,
                    file_offset INTEGER NOT NULL,
                    logical_offset INTEGER NOT NULL,
                    last_origin TEXT NOT NULL,
                    last_sequence INTEGER NOT NULL
                );
                INSERT INTO kv VALUES (x'6B31', 1, x'7631', 0), (x'', 1, x'656D707479', 1900000000000), (x'6C', 3, x'', 0);
                INSERT INTO applied_position VALUES (1, 1, 4242, 4210, 'm1', 17);
                """;
            create.ExecuteNonQuery();
        }

        using (var store = new SqliteNodeStore(path))
        {
            Assert.Equal(1, store.SchemaVersionFound);
            Assert.Equal(new AppliedState(new BinlogPosition(1, 4242), 4210, new TransactionId("m1", 17)), store.ReadAppliedState());
            var entries = store.ReadAll().ToList();
            Assert.Equal(3, entries.Count);
            Assert.All(entries, e => Assert.Equal(0, e.Database));
            var empty = entries.Single(e => e.Key.Length == 0);
            Assert.Equal((ValueType.String, "empty", 1_900_000_000_000L), (empty.Type, Encoding.UTF8.GetString(empty.Value!), empty.ExpireAtMs));
            Assert.Equal(ValueType.List, entries.Single(e => e.Key.SequenceEqual("l"u8.ToArray())).Type);
            // The upgraded store takes keys of other databases.
            store.Checkpoint(new DirtyKeys(false, [Key("k1", 4, "four")]), State);
        }
        using var reopened = new SqliteNodeStore(path);
        Assert.Equal(NodeStoreSchema.CurrentVersion, reopened.SchemaVersionFound);
        Assert.Equal(4, reopened.ReadAll().Count());
        Assert.Contains(("k1", 4, "four"), Read(reopened));
        Assert.Contains(("k1", 0, "v1"), Read(reopened));
    }

    [Fact]
    public void ThePreviousReleasesFixtureStore_OpensWithEveryKey()
    {
        string dir = RepositoryPaths.NewTempDirectory("store-fixture");
        string path = Path.Combine(dir, "store.db");
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "upgrade-2026-12-07", "data", "m1", "store.db"), path);
        long before;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM kv";
            before = (long)count.ExecuteScalar()!;
        }
        Assert.True(before > 0, "the fixture's store should hold keys");

        using var store = new SqliteNodeStore(path);
        Assert.Equal(1, store.SchemaVersionFound);
        Assert.Equal(before, store.ReadAll().LongCount(e => e.Database == 0));
        Assert.Equal(before, store.ReadAll().LongCount());
    }

    [Fact]
    public void AStoreOfANewerSchema_IsRefusedWithItsVersion()
    {
        string path = Path.Combine(RepositoryPaths.NewTempDirectory("store-future"), "store.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<InvalidDataException>(() => new SqliteNodeStore(path));
        Assert.Contains("schema version 99", error.Message);
    }
}
