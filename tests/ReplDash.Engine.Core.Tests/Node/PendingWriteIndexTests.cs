using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Node;

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
