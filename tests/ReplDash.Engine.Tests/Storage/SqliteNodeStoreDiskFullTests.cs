using System.Reflection;
using System.Text;
using Microsoft.Data.Sqlite;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Storage;
using ReplDash.Testing;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Tests.Storage;

/// <summary>
/// A checkpoint on a real tmpfs that is full: the error names the cause (SQLITE_FULL), not the failed ROLLBACK of a
/// transaction SQLite had already rolled back, and the store takes the same checkpoint once there is space.
/// </summary>
public class SqliteNodeStoreDiskFullTests
{
    [Fact]
    public void CheckpointOnAFullDisk_FailsWithTheCause_AndSucceedsOnceThereIsSpace()
    {
        // A checkpoint larger than the store's 32 MiB page cache spills to the WAL in the middle of a statement:
        // SQLITE_FULL there rolls the transaction back inside SQLite (a failing COMMIT leaves it open instead).
        using var disk = SmallTmpfs.Mount(RepositoryPaths.NewTempDirectory("store-diskfull"), 160);
        string path = Path.Combine(disk.Path, "store.db");
        var before = new AppliedState(new BinlogPosition(1, 100), 84, new TransactionId("m1", 1));
        var after = new AppliedState(new BinlogPosition(1, 5000), 4984, new TransactionId("m1", 2));
        var changes = new DirtyKeys(false, Enumerable.Range(0, 5000)
            .Select(i => new StoredEntry(Encoding.UTF8.GetBytes($"k{i}"), ValueType.String, new byte[8 * 1024], 0)).ToList());

        using (var store = new SqliteNodeStore(path))
        {
            store.Checkpoint(new DirtyKeys(false, [new StoredEntry(Encoding.UTF8.GetBytes("first"), ValueType.String, [1], 0)]), before);
            disk.FillLeaving(1024 * 1024);

            var full = Assert.Throws<SqliteException>(() => store.Checkpoint(changes, after));
            Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL
            Assert.DoesNotContain("rollback", full.Message);
            Assert.True(OutOfSpace.Is(full));
            Assert.Equal(before, store.ReadAppliedState()); // nothing of the failed checkpoint is in

            disk.RemoveFiller();
            store.Checkpoint(changes, after);
        }

        using var reopened = new SqliteNodeStore(path);
        Assert.Equal(after, reopened.ReadAppliedState());
        Assert.Equal(5001, reopened.ReadAll().Count());
    }

    [Fact]
    public void CheckpointSpillingToAFullWal_FailsWithTheCause_AndLeavesNoTransactionOpen()
    {
        using var disk = SmallTmpfs.Mount(RepositoryPaths.NewTempDirectory("store-diskfull"), 16);
        string path = Path.Combine(disk.Path, "store.db");
        var before = new AppliedState(new BinlogPosition(1, 100), 84, new TransactionId("m1", 1));
        var after = new AppliedState(new BinlogPosition(1, 5000), 4984, new TransactionId("m1", 2));
        var keys = Enumerable.Range(0, 300).Select(i => Encoding.UTF8.GetBytes($"k{i}")).ToList();
        var deletions = new DirtyKeys(false, keys.Select(StoredEntry.Deleted).ToList());

        using (var store = new SqliteNodeStore(path))
        {
            store.Checkpoint(new DirtyKeys(false, keys.Select(k => new StoredEntry(k, ValueType.String, new byte[8 * 1024], 0)).ToList()), before);
            // A tiny page cache and an empty WAL make the checkpoint below spill pages to a WAL that cannot grow while its
            // per-key statements run, not only at COMMIT. (The store's connection is private; the test reaches it.)
            Execute(store, "PRAGMA cache_size=8;");
            Execute(store, "PRAGMA wal_checkpoint(TRUNCATE);");
            disk.FillLeaving(0);

            var full = Assert.Throws<SqliteException>(() => store.Checkpoint(deletions, after));
            Assert.DoesNotContain("cannot rollback", full.Message);
            Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL
            Assert.Equal(before, store.ReadAppliedState());

            disk.RemoveFiller();
            store.Checkpoint(deletions, after); // the connection is usable: no transaction was left open
        }

        using var reopened = new SqliteNodeStore(path);
        Assert.Equal(after, reopened.ReadAppliedState());
        Assert.Empty(reopened.ReadAll());
    }

    private static void Execute(SqliteNodeStore store, string sql)
    {
        var connection = (SqliteConnection)typeof(SqliteNodeStore).GetField("_connection", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(store)!;
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
