using ReplDash.Engine.Core.Keyspace;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>
/// WATCH's registry in the keyspace: which changes make a watcher dirty (its EXEC then aborts), following Redis 7's
/// tests/unit/multi.tcl.
/// </summary>
public class WatchTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);
    private readonly KeyWatcher _watcher = new();

    private void Watch(params string[] keys)
    {
        foreach (var key in keys)
            _h.Store.Watch(_watcher, System.Text.Encoding.UTF8.GetBytes(key), _h.NowMs);
    }

    private bool Aborts => _watcher.MustAbort(_h.NowMs);

    [Fact]
    public void UnchangedKeys_DoNotAbort()
    {
        _h.Run("SET x 1");
        Watch("x", "y", "z");
        _h.Run("GET x");
        _h.Run("SET other 1");
        Assert.False(Aborts);
        Assert.Equal(3, _h.Store.WatchedKeyCount);
    }

    [Theory]
    [InlineData("SET x 2")]
    [InlineData("SET x 1")] // the same value still counts, as in Redis
    [InlineData("INCR x")]
    [InlineData("APPEND x z")]
    [InlineData("DEL x")]
    [InlineData("EXPIRE x 10")]
    [InlineData("SETRANGE x 0 9")]
    [InlineData("SETBIT x 1 1")]
    [InlineData("RENAME x y")]
    [InlineData("GETDEL x")]
    [InlineData("GETEX x EX 100")]
    [InlineData("INCRBYFLOAT x 1.5")]
    [InlineData("FLUSHALL")]
    public void AnyChangeToAWatchedKey_Aborts(string change)
    {
        _h.Run("SET x 1");
        Watch("a", "x");
        _h.Run(change);
        Assert.True(Aborts, change);
    }

    [Fact]
    public void RenameOntoAWatchedKey_Aborts()
    {
        _h.Run("SET src 1");
        Watch("dst");
        _h.Run("RENAME src dst");
        Assert.True(Aborts);
    }

    [Fact]
    public void AMissingKeyThatIsThenCreated_Aborts()
    {
        Watch("x");
        _h.Run("SET other 1");
        Assert.False(Aborts);
        _h.Run("LPUSH x a");
        Assert.True(Aborts);
    }

    [Fact]
    public void ChangesThatChangeNothing_DoNotAbort()
    {
        _h.Run("SET x 1");
        _h.Run("SADD s a");
        Watch("x", "s", "missing");
        _h.Run("SADD s a");        // already a member
        _h.Run("DEL missing");     // nothing to delete
        _h.Run("PERSIST x");       // no expiry to clear
        _h.Run("SET x 2 NX");      // refused by NX
        Assert.False(Aborts);
    }

    [Fact]
    public void FlushAll_AbortsOnlyWatchersOfKeysThatExisted()
    {
        _h.Run("SET other 1");
        Watch("x");
        _h.Run("FLUSHALL");
        Assert.False(Aborts);
    }

    [Fact]
    public void AKeyLiveWhenWatched_ThatExpiresBeforeExec_Aborts_EvenBeforeAnyoneDeletesIt()
    {
        _h.Run("SET x 1 PX 100");
        Watch("x");
        _h.NowMs += 200;
        Assert.True(Aborts); // checked at EXEC against the clock (Redis's isWatchedKeyExpired)
    }

    [Fact]
    public void AKeyLiveWhenWatched_DeletedByLazyExpiry_Aborts()
    {
        _h.Run("SET x 1 PX 100");
        Watch("x");
        _h.NowMs += 200;
        _h.Run("GET x"); // deletes it and logs a DEL
        Assert.True(_watcher.Dirty);
    }

    [Fact]
    public void AKeyAlreadyExpiredWhenWatched_DeletedLater_DoesNotAbort()
    {
        _h.Run("SET x 1 PX 100");
        _h.NowMs += 200;
        Watch("x");
        Assert.False(Aborts);
        _h.Run("EXISTS x"); // the lazy deletion of a stale key is no change
        Assert.False(Aborts);
    }

    [Fact]
    public void AKeyAlreadyExpiredWhenWatched_SweptByActiveExpiry_DoesNotAbort()
    {
        _h.Run("SET x 1 PX 100");
        _h.NowMs += 200;
        Watch("x");
        Assert.Equal(1, _h.Sweep(10));
        Assert.False(Aborts);
    }

    [Fact]
    public void AStaleKeyWatched_ThenFlushed_DoesNotAbort()
    {
        _h.Run("SET x 1 PX 100");
        _h.NowMs += 200;
        Watch("x");
        _h.Run("FLUSHALL");
        Assert.False(Aborts);
    }

    [Fact]
    public void AStaleKeyWatched_ThenWrittenAgain_Aborts()
    {
        _h.Run("SET x 1 PX 100");
        _h.NowMs += 200;
        Watch("x");
        _h.Run("SET x 2");
        Assert.True(Aborts);
    }

    [Fact]
    public void ActiveExpiryOfALiveWatchedKey_Aborts()
    {
        _h.Run("SET x 1 PX 100");
        Watch("x");
        _h.NowMs += 200;
        Assert.Equal(1, _h.Sweep(10));
        Assert.True(_watcher.Dirty);
    }

    [Fact]
    public void AReplicatedApply_Aborts()
    {
        var replica = new CommandHarness(nowMs: null);
        replica.Run("SET x 1");
        replica.Store.Watch(_watcher, "x"u8.ToArray(), nowMs: null);
        replica.Run("SET x 1 PXAT 5000000");
        Assert.True(_watcher.MustAbort(null));
    }

    [Fact]
    public void UnwatchAll_ForgetsKeysAndTheDirtyFlag()
    {
        _h.Run("SET x 1");
        Watch("x");
        _h.Run("SET x 2");
        Assert.True(Aborts);
        _watcher.UnwatchAll();
        Assert.False(Aborts);
        Assert.Equal(0, _h.Store.WatchedKeyCount);
        _h.Run("SET x 3");
        Assert.False(Aborts);
    }

    [Fact]
    public void TwoWatchersOfOneKey_BothAbort_AndUnwatchingOneKeepsTheOther()
    {
        var other = new KeyWatcher();
        Watch("x");
        _h.Store.Watch(other, "x"u8.ToArray(), _h.NowMs);
        _h.Store.Watch(other, "x"u8.ToArray(), _h.NowMs); // watching twice is watching once
        Assert.Equal(1, _h.Store.WatchedKeyCount);
        _watcher.UnwatchAll();
        Assert.Equal(1, _h.Store.WatchedKeyCount);
        _h.Run("SET x 1");
        Assert.True(other.Dirty);
        Assert.False(_watcher.Dirty);
    }

    [Fact]
    public void WatchingManyKeys_StaysFast_AndEachCounts()
    {
        var keys = Enumerable.Range(0, 50_000).Select(i => "w" + i).ToArray();
        var started = System.Diagnostics.Stopwatch.StartNew();
        Watch(keys);
        Watch(keys); // again: nothing added
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"watching 50000 keys twice took {started.Elapsed}");
        Assert.Equal(50_000, _h.Store.WatchedKeyCount);
        _h.Run("SET w49999 x");
        Assert.True(Aborts);
    }

    [Fact]
    public void TouchAllWatched_AbortsEveryWatcher()
    {
        Watch("never-written");
        _h.Store.TouchAllWatched();
        Assert.True(Aborts);
    }
}
