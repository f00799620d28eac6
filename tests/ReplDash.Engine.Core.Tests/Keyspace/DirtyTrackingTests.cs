using System.Text;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Tests.Commands;
using Xunit;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Tests.Keyspace;

public class DirtyTrackingTests
{
    [Fact]
    public void TakeDirty_ReportsEachChangedKeyOnce_WithItsValue_ThenForgets()
    {
        var h = new CommandHarness();
        h.Run("SET a 1");
        h.Run("SET a 2");
        h.Run("SET b x EX 10");
        h.Run("SET c y");
        h.Run("DEL c");
        var dirty = h.Store.TakeDirty();
        Assert.False(dirty.FlushedAll);
        var byKey = dirty.Entries.ToDictionary(e => Encoding.UTF8.GetString(e.Key));
        Assert.Equal(["a", "b", "c"], byKey.Keys.Order());
        Assert.Equal("2", Encoding.UTF8.GetString(byKey["a"].Value!));
        Assert.Equal(1_010_000, byKey["b"].ExpireAtMs);
        Assert.True(byKey["c"].IsDeleted);
        Assert.Empty(h.Store.TakeDirty().Entries);
    }

    [Fact]
    public void KeyDeletedAndCreatedAgain_IsListedAsItsRemoval_ThenItsLatestValue()
    {
        var h = new CommandHarness();
        h.Run("SET k old");
        h.Store.TakeDirty();
        h.Run("DEL k");
        h.Run("SET k new");
        h.Run("SET k newer");
        var entries = h.Store.TakeDirty().Entries;
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("k", Encoding.UTF8.GetString(e.Key)));
        Assert.True(entries[0].IsDeleted);
        Assert.Equal("newer", Encoding.UTF8.GetString(entries[1].Value!));
        Assert.Empty(h.Store.TakeDirty().Entries);
    }

    [Fact]
    public void ReadsAndNoOps_DoNotDirty()
    {
        var h = new CommandHarness();
        h.Run("SADD s a");
        h.Store.TakeDirty();
        h.Run("GET s");
        h.Run("SMEMBERS s");
        h.Run("SADD s a");
        h.Run("SREM s zz");
        h.Run("DEL missing");
        Assert.Empty(h.Store.TakeDirty().Entries);
    }

    [Fact]
    public void FlushAll_SetsTheFlag_AndListsOnlyLaterWrites()
    {
        var h = new CommandHarness();
        h.Run("MSET a 1 b 2");
        h.Run("FLUSHALL");
        h.Run("SET c 3");
        var dirty = h.Store.TakeDirty();
        Assert.True(dirty.FlushedAll);
        Assert.Equal(["c"], dirty.Entries.Select(e => Encoding.UTF8.GetString(e.Key)));
        Assert.False(h.Store.TakeDirty().FlushedAll);
    }

    [Fact]
    public void CheckpointsLoadedIntoANewStore_RebuildTheSameData()
    {
        var h = new CommandHarness(seed: 5);
        var durable = new Dictionary<string, StoredEntry>();
        var random = new Random(11);
        for (int i = 0; i < 400; i++)
        {
            string k = "k" + random.Next(12);
            h.Run(random.Next(9) switch
            {
                0 => $"SET {k} v{i} PX {random.Next(1, 100000)}",
                1 => $"HSET {k} f{random.Next(3)} {i}",
                2 => $"RPUSH {k} {i}",
                3 => $"SADD {k} m{random.Next(5)}",
                4 => $"DEL {k}",
                5 => $"LPOP {k}",
                6 => $"SREM {k} m{random.Next(5)}",
                7 => random.Next(30) == 0 ? "FLUSHALL" : $"PERSIST {k}",
                _ => $"SET {k} {i}",
            });
            if (random.Next(10) == 0)
                Checkpoint(h.Store, durable);
        }
        Checkpoint(h.Store, durable);

        var restored = new KeyspaceStore();
        foreach (var entry in durable.Values)
            restored.Load(entry);
        Assert.True(h.Store.Count > 0);
        Assert.Equal(h.Store.Count, restored.Count);
        Assert.Equal(h.Store.ExpiresCount, restored.ExpiresCount);
        Assert.Equal(h.Store.DigestHex(), restored.DigestHex());
        Assert.Empty(restored.TakeDirty().Entries); // loading is not a change
    }

    [Fact]
    public void Codec_RoundTripsElements_AndRejectsDamage()
    {
        byte[][] elements = [[], "a"u8.ToArray(), new byte[300]];
        var encoded = StoredValueCodec.EncodeElements(elements);
        Assert.Equal(elements, StoredValueCodec.DecodeElements(encoded));
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeElements(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeElements(new byte[] { 255, 255, 255, 127 }));
        Assert.Throws<InvalidDataException>(() => StoredValueCodec.DecodeElements([.. encoded, 0]));
    }

    [Fact]
    public void Load_OfEachType_IsReadableThroughCommands()
    {
        var store = new KeyspaceStore();
        store.Load(new StoredEntry("h"u8.ToArray(), ValueType.Hash,
            StoredValueCodec.EncodeElements(["f"u8.ToArray(), "v"u8.ToArray()]), 0));
        store.Load(new StoredEntry("l"u8.ToArray(), ValueType.List,
            StoredValueCodec.EncodeElements(["1"u8.ToArray(), "2"u8.ToArray()]), 7_000_000));
        store.Load(new StoredEntry("gone"u8.ToArray(), ValueType.String, null, 0));
        Assert.Equal(2, store.Count);
        Assert.Equal(1, store.ExpiresCount);
    }

    private static void Checkpoint(KeyspaceStore store, Dictionary<string, StoredEntry> durable)
    {
        var dirty = store.TakeDirty();
        if (dirty.FlushedAll)
            durable.Clear();
        foreach (var entry in dirty.Entries)
        {
            string key = Convert.ToHexString(entry.Key);
            if (entry.IsDeleted)
                durable.Remove(key);
            else
                durable[key] = entry;
        }
    }
}
