using System.Text;
using ReplDash.Engine.Core.Commands;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>
/// The keys a logged item changes, each in the database its effect applies in: what the pending-write index records,
/// so that semi-sync's visibility rule holds per database (docs/REPLICATION.md).
/// </summary>
public class KeysInDatabasesTests
{
    private readonly DatabaseHarness _h = new();

    private List<string> LastItem() =>
        KeysInDatabases.OfItem(_h.Items[^1].Commands)
            .Select(t => t.WholeDataset ? $"{t.Database}:*" : $"{t.Database}:{string.Join(',', t.Keys.Select(Encoding.UTF8.GetString))}")
            .ToList();

    [Fact]
    public void WritesInSeveralDatabases_AreEachInTheirOwn()
    {
        _h.Run("SET a 1");
        Assert.Equal(["0:a"], LastItem());
        _h.Run("SELECT 5");
        _h.Run("SET b 2");
        Assert.Equal(["5:b"], LastItem()); // the item starts with SELECT 5
        _h.Block("SET c 3", "SELECT 0", "SET d 4", "SELECT 3", "MSET e 5 f 6");
        Assert.Equal(["5:c", "0:d", "3:e,f"], LastItem());
    }

    [Fact]
    public void Move_ChangesItsKeyInTheTargetDatabaseToo()
    {
        _h.Run("SELECT 3");
        _h.Run("SET k v");
        _h.Run("MOVE k 7");
        Assert.Equal(["3:k", "7:k"], LastItem());
    }

    [Fact]
    public void CopyWithDb_ChangesTheDestinationInItsDatabase()
    {
        _h.Run("SET src v");
        _h.Run("COPY src dst DB 9");
        Assert.Equal(["0:src,dst", "9:dst"], LastItem());
    }

    [Fact]
    public void FlushdbAndSwapdb_AreWholeDataset()
    {
        _h.Run("SELECT 2");
        _h.Run("SET k v");
        _h.Run("FLUSHDB");
        Assert.Equal(["2:*"], LastItem());
        _h.Run("SWAPDB 1 4");
        Assert.Equal(["2:*"], LastItem());
    }

    [Fact]
    public void InOtherDatabase_NamesOnlyMoveAndCopyDb()
    {
        byte[][] Args(string line) => line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        var move = KeysInDatabases.InOtherDatabase(CommandTable.Find("move")!, Args("MOVE k 7"));
        Assert.Equal(7, move!.Value.Database);
        Assert.Equal("k", Encoding.UTF8.GetString(move.Value.Key));
        Assert.Equal(2, KeysInDatabases.InOtherDatabase(CommandTable.Find("copy")!, Args("COPY a b REPLACE DB 2"))!.Value.Database);
        Assert.Null(KeysInDatabases.InOtherDatabase(CommandTable.Find("copy")!, Args("COPY a b")));
        Assert.Null(KeysInDatabases.InOtherDatabase(CommandTable.Find("move")!, Args("MOVE k x")));
        Assert.Null(KeysInDatabases.InOtherDatabase(CommandTable.Find("set")!, Args("SET k 7")));
    }
}
