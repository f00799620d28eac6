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
        index.Record(P(100), [K("a")]);
        index.Record(P(200), [K("b"), K("a")]);

        Assert.Equal(P(200), index.DependencyOf(K("a")));
        Assert.Equal(P(200), index.DependencyOf(K("b")));
        Assert.Equal(P(32), index.DependencyOf(K("untouched")));
        Assert.Equal(P(200), index.DependencyOfWholeDataset());
    }

    [Fact]
    public void Commit_ForgetsCoveredWritesButKeepsNewerOnes()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), [K("a")]);
        index.Record(P(200), [K("a")]);
        index.Record(P(300), [K("b")]);

        index.Commit(P(200));

        Assert.Equal(P(200), index.DependencyOf(K("a")));   // committed: nothing more to wait for
        Assert.Equal(P(300), index.DependencyOf(K("b")));
        Assert.Equal(1, index.PendingKeyCount);
        index.Commit(P(300));
        Assert.Equal(0, index.PendingKeyCount);
    }

    [Fact]
    public void OlderWriteCommitted_DoesNotReleaseAKeyRewrittenLater()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), [K("a")]);
        index.Record(P(500), [K("a")]);

        index.Commit(P(100));

        Assert.Equal(P(500), index.DependencyOf(K("a")));
    }

    [Fact]
    public void WholeDatasetWrite_MakesEveryKeyDependOnIt()
    {
        var index = new PendingWriteIndex(P(32));
        index.RecordWholeDataset(P(400));

        Assert.Equal(P(400), index.DependencyOf(K("anything")));
        index.Commit(P(400));
        Assert.Equal(P(400), index.DependencyOf(K("anything")));
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
        var images = new Dictionary<byte[], StoredEntry>(ByteArrayComparer.Instance) { [K("a")] = Image("a", "old") };
        index.Record(P(100), [K("a")], images);
        index.Record(P(200), [K("a")], new Dictionary<byte[], StoredEntry>(ByteArrayComparer.Instance) { [K("a")] = Image("a", "mid") });

        Assert.True(index.IsPending(K("a")));
        Assert.True(index.TryGetCommittedImage(K("a"), out var image));
        Assert.Equal("old", Encoding.ASCII.GetString(image.Value!)); // not the image offered by the second write

        index.Commit(P(100));
        Assert.True(index.IsPending(K("a")));
        Assert.False(index.TryGetCommittedImage(K("a"), out _)); // committed state is now between the two writes: wait
        index.Commit(P(200));
        Assert.False(index.IsPending(K("a")));
        Assert.Equal(0, index.ImageCount);
    }

    [Fact]
    public void PendingWholeDatasetWrite_HidesImages()
    {
        var index = new PendingWriteIndex(P(32));
        index.Record(P(100), [K("a")], new Dictionary<byte[], StoredEntry>(ByteArrayComparer.Instance) { [K("a")] = Image("a", "old") });
        index.RecordWholeDataset(P(150));

        Assert.True(index.IsPending(K("other")));
        Assert.False(index.TryGetCommittedImage(K("a"), out _));
    }
}
