using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>What the checkpoint gets from <see cref="KeyspaceDatabases.TakeDirty"/>: keys with their database, swaps and flushes in order.</summary>
public class DatabaseDirtyTrackingTests
{
    [Fact]
    public void TakeDirty_ListsKeysInTheirDatabaseNow_AfterSwapsAndFlushes()
    {
        var h = new DatabaseHarness();
        h.Run("SET a 1");            // database 0, then swapped to 2
        h.Run("SELECT 1");
        h.Run("SET b 1");
        h.Run("FLUSHDB");            // database 1 emptied
        h.Run("SET c 1");            // written after the flush
        h.Run("SWAPDB 0 2");

        var changes = h.Databases.TakeDirty();
        Assert.Equal([(0, 2)], changes.Swaps);
        Assert.Equal([1], changes.FlushedDatabases);
        Assert.Equal([("a", 2), ("c", 1)],
            changes.Entries.Select(e => (System.Text.Encoding.UTF8.GetString(e.Key), e.Database)).OrderBy(e => e.Item1));

        var none = h.Databases.TakeDirty();
        Assert.True(none.KeysOnly);
        Assert.Empty(none.Entries);
    }

    [Fact]
    public void Then_KeepsTheOrderOfKeptAndFreshChanges()
    {
        var kept = new DirtyKeys(false, [new StoredEntry("a"u8.ToArray(), ValueType.String, "1"u8.ToArray(), 0)]) { Swaps = [(0, 1)] };
        var keysOnly = new DirtyKeys(false, [new StoredEntry("b"u8.ToArray(), ValueType.String, "2"u8.ToArray(), 0)]);
        var merged = kept.Then(keysOnly);
        Assert.Single(merged.InOrder());
        Assert.Equal(2, merged.Entries.Count);
        Assert.Equal([(0, 1)], merged.Swaps);

        var flush = new DirtyKeys(false, []) { FlushedDatabases = [1] };
        var chain = merged.Then(flush).InOrder();
        Assert.Equal(2, chain.Count);
        Assert.Equal([(0, 1)], chain[0].Swaps);
        Assert.Equal([1], chain[1].FlushedDatabases);
        Assert.All(chain, c => Assert.Null(c.Earlier));
    }
}
