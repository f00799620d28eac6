using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Node;
using ReplDash.Engine.Core.Keyspace;

namespace ReplDash.Engine.Core.Tests.Node;

public class PendingWriteIndexTests
{
    private static byte[] K(string key) => Encoding.ASCII.GetBytes(key);
    private static BinlogPosition P(long offset) => new(1, offset);

    [Fact]
    public void ReadOfAKeyWithAnUncommittedWrite_DependsOnThatWrite()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 0, [K("a")]);
        index.Record(P(200), 0, [K("b"), K("a")]);

        Assert.Equal(P(200), index.DependencyOf(0, K("a")));
        Assert.Equal(P(200), index.DependencyOf(0, K("b")));
        Assert.Equal(P(32), index.DependencyOf(0, K("untouched")));
        Assert.Equal(P(200), index.DependencyOfWholeDataset());
    }

    [Fact]
    public void Commit_ForgetsCoveredWritesButKeepsNewerOnes()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 0, [K("a")]);
        index.Record(P(200), 0, [K("a")]);
        index.Record(P(300), 0, [K("b")]);

        index.Commit(P(200));

        Assert.Equal(P(200), index.DependencyOf(0, K("a")));   // committed: nothing more to wait for
        Assert.Equal(P(300), index.DependencyOf(0, K("b")));
        Assert.Equal(1, index.PendingKeyCount);
        index.Commit(P(300));
        Assert.Equal(0, index.PendingKeyCount);
    }

    [Fact]
    public void OlderWriteCommitted_DoesNotReleaseAKeyRewrittenLater()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 0, [K("a")]);
        index.Record(P(500), 0, [K("a")]);

        index.Commit(P(100));

        Assert.Equal(P(500), index.DependencyOf(0, K("a")));
    }

    [Fact]
    public void WholeDatasetWrite_MakesEveryKeyDependOnIt()
    {
        var index = new PendingWriteIndex(P(32));
        index.RecordWholeDataset(P(400));

        Assert.Equal(P(400), index.DependencyOf(0, K("anything")));
        index.Commit(P(400));
        Assert.Equal(P(400), index.DependencyOf(0, K("anything")));
        Assert.Equal(P(400), index.Committed);
    }

    [Fact]
    public void CommitNeverMovesBackwards()
    {
        var index = new PendingWriteIndex(P(32));
        index.Commit(P(300));
        index.Commit(P(100));
        Assert.Equal(P(300), index.Committed);
    }
}

public class PendingWriteIndexImageTests
{
    private static byte[] K(string key) => Encoding.ASCII.GetBytes(key);
    private static BinlogPosition P(long offset) => new(1, offset);
    private static StoredEntry Image(string key, string value) => new(K(key), ReplDash.Engine.Core.Keyspace.ValueType.String, K(value), 0);

    [Fact]
    public void FirstPendingWrite_KeepsTheCommittedImage_UntilItCommits()
    {
        var index = new PendingWriteIndex(P(32));
        var images = new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(0, K("a"))] = Image("a", "old") };
        index.Record(P(100), 0, [K("a")], images);
        index.Record(P(200), 0, [K("a")], new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(0, K("a"))] = Image("a", "mid") });

        Assert.True(index.IsPending(0, K("a")));
        Assert.True(index.TryGetCommittedImage(0, K("a"), out var image));
        Assert.Equal("old", Encoding.ASCII.GetString(image.Value!)); // not the image offered by the second write

        index.Commit(P(100));
        Assert.True(index.IsPending(0, K("a")));
        Assert.False(index.TryGetCommittedImage(0, K("a"), out _)); // committed state is now between the two writes: wait
        index.Commit(P(200));
        Assert.False(index.IsPending(0, K("a")));
        Assert.Equal(0, index.ImageCount);
    }

    [Fact]
    public void PendingWholeDatasetWrite_HidesImages()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 0, [K("a")], new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(0, K("a"))] = Image("a", "old") });
        index.RecordWholeDataset(P(150));

        Assert.True(index.IsPending(0, K("other")));
        Assert.False(index.TryGetCommittedImage(0, K("a"), out _));
    }
}

/// <summary>
/// A key is pending in one numbered database: the same name elsewhere is another key, which readers may read at once,
/// and each database's key keeps its own committed image.
/// </summary>
public class PendingWriteIndexDatabaseTests
{
    private static byte[] K(string key) => Encoding.ASCII.GetBytes(key);
    private static BinlogPosition P(long offset) => new(1, offset);
    private static StoredEntry Image(string key, string value) => new(K(key), ReplDash.Engine.Core.Keyspace.ValueType.String, K(value), 0);

    [Fact]
    public void WriteInDatabase5_MakesTheKeyPendingThereOnly()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 5, [K("k")]);

        Assert.True(index.IsPending(5, K("k")));
        Assert.Equal(P(100), index.DependencyOf(5, K("k")));
        Assert.False(index.IsPending(0, K("k")));
        Assert.False(index.IsPending(3, K("k")));
        Assert.Equal(P(32), index.DependencyOf(0, K("k")));
        index.Commit(P(100));
        Assert.False(index.IsPending(5, K("k")));
        Assert.Equal(0, index.PendingKeyCount);
    }

    [Fact]
    public void SameNameInTwoDatabases_KeepsEachItsOwnImage()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 3, [K("k")], new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(3, K("k"))] = Image("k", "three") });
        index.Record(P(200), 5, [K("k")], new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(5, K("k"))] = Image("k", "five") });

        Assert.True(index.TryGetCommittedImage(3, K("k"), out var three));
        Assert.Equal("three", Encoding.ASCII.GetString(three.Value!));
        Assert.True(index.TryGetCommittedImage(5, K("k"), out var five));
        Assert.Equal("five", Encoding.ASCII.GetString(five.Value!));
        Assert.False(index.TryGetCommittedImage(0, K("k"), out _));

        index.Commit(P(100));
        Assert.False(index.TryGetCommittedImage(3, K("k"), out _));
        Assert.True(index.TryGetCommittedImage(5, K("k"), out _)); // database 5's write still waits
        Assert.Equal(P(200), index.DependencyOf(5, K("k")));
    }

    [Fact]
    public void AnImageOfferedForAnotherDatabase_IsNotTaken()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), 5, [K("k")], new Dictionary<DatabaseKey, StoredEntry>(DatabaseKey.Comparer) { [new(0, K("k"))] = Image("k", "zero") });

        Assert.True(index.IsPending(5, K("k")));
        Assert.False(index.TryGetCommittedImage(5, K("k"), out _)); // no image of database 5's key: its readers wait
    }
}
