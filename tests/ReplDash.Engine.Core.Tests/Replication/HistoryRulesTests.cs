using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Replication;

/// <summary>
/// Lesson L5: which items a master takes back from a slave's relay log as its own history. The master m1's binlog
/// ends at 1:500 after m1:7.
/// </summary>
public class HistoryRulesTests
{
    private static readonly OwnHistoryEnd End = new("m1", new BinlogPosition(1, 500), LastSequence: 7);

    private static byte[] Item(string origin, long sequence, string key = "k") =>
        BinlogItemCodec.Encode(new BinlogItem(BinlogItemType.Transaction, new TransactionId(origin, sequence), 1_700_000_000_000,
            [["SET"u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(key), "v"u8.ToArray()]]));

    [Fact]
    public void TheNextTransactionAtTheMastersEnd_IsTakenBack()
    {
        var encoded = Item("m1", 8);

        var check = HistoryRules.CheckTailItem(End, new BinlogPosition(1, 500), encoded);

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(new TransactionId("m1", 8), check.Item!.Id);
        Assert.Equal(new OwnHistoryEnd("m1", new BinlogPosition(1, 500 + encoded.Length), 8), check.Next);
    }

    [Fact]
    public void TheFirstItemOfTheNextSegment_ContinuesAMasterThatRotated()
    {
        var check = HistoryRules.CheckTailItem(End, new BinlogPosition(2, BinlogFormat.SegmentHeaderSize), Item("m1", 8));

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(2, check.Next.End.FileNumber);
    }

    [Fact]
    public void SeveralItems_AreCheckedAsAChain()
    {
        var end = End;
        foreach (var sequence in new long[] { 8, 9, 10 })
        {
            var check = HistoryRules.CheckTailItem(end, end.End, Item("m1", sequence));
            Assert.True(check.Valid, check.Problem);
            end = check.Next;
        }
        Assert.Equal(10, end.LastSequence);

        // The same item twice is not a continuation.
        Assert.False(HistoryRules.CheckTailItem(end, end.End, Item("m1", 10)).Valid);
    }

    [Theory]
    [InlineData(1, 499, "m1", 8, "does not continue the master's binlog")]   // overlaps the master's last item
    [InlineData(1, 501, "m1", 8, "does not continue the master's binlog")]   // a gap
    [InlineData(2, 100, "m1", 8, "does not continue the master's binlog")]   // next segment, not at its first item
    [InlineData(3, 32, "m1", 8, "does not continue the master's binlog")]    // a segment skipped
    [InlineData(1, 500, "m2", 8, "not of this master's origin")]              // another master's transaction
    [InlineData(1, 500, "m1", 9, "does not continue the master's sequence")]  // a sequence gap
    [InlineData(1, 500, "m1", 7, "does not continue the master's sequence")]  // the master's own last one again
    [InlineData(1, 500, "m1", 1, "does not continue the master's sequence")]  // an old transaction
    public void ItemsThatAreNotTheMastersOwnContinuation_AreRefused(long file, long offset, string origin, long sequence, string problem)
    {
        var check = HistoryRules.CheckTailItem(End, new BinlogPosition(file, offset), Item(origin, sequence));

        Assert.False(check.Valid);
        Assert.Contains(problem, check.Problem);
        Assert.Null(check.Item);
        Assert.Equal(End, check.Next);
    }

    [Theory]
    [InlineData(-1)]   // last byte of the checksum flipped
    [InlineData(20)]   // a byte of the body flipped
    public void AnItemThatFailsItsChecksum_IsRefused(int flipAt)
    {
        var encoded = Item("m1", 8);
        int index = flipAt < 0 ? encoded.Length + flipAt : flipAt;
        encoded[index] ^= 0x40;

        var check = HistoryRules.CheckTailItem(End, End.End, encoded);

        Assert.False(check.Valid);
        Assert.Contains("fails its checksum", check.Problem);
    }

    [Theory]
    [InlineData(3)]    // a torn item
    [InlineData(-5)]   // trailing bytes after the item
    public void BytesThatAreNotOneWholeItem_AreRefused(int cut)
    {
        var encoded = Item("m1", 8);
        var bytes = cut > 0 ? encoded[..^cut] : [.. encoded, .. new byte[-cut]];

        var check = HistoryRules.CheckTailItem(End, End.End, bytes);

        Assert.False(check.Valid);
        Assert.Contains("not one whole item", check.Problem);
    }

    [Fact]
    public void ASlaveAheadWithTheMastersLaterTransaction_IsAskedBackFromTheMastersEnd()
    {
        var request = new TrySync(new BinlogPosition(1, 900), 0, new TransactionId("m1", 11), new BinlogPosition(1, 900));

        var reply = HistoryRules.JudgeSlaveAhead(request, End);

        Assert.Equal(TrySyncOutcome.SendBack, reply.Outcome);
        Assert.Equal(End.End, reply.From);
    }

    [Theory]
    [InlineData("m2", 11)]
    [InlineData("m1", 7)]
    [InlineData("m1", 3)]
    public void ASlaveAheadWithHistoryTheMasterCannotVerify_IsRefused(string origin, long sequence)
    {
        var request = new TrySync(new BinlogPosition(1, 900), 0, new TransactionId(origin, sequence), new BinlogPosition(1, 900));

        var reply = HistoryRules.JudgeSlaveAhead(request, End);

        Assert.Equal(TrySyncOutcome.Diverged, reply.Outcome);
        Assert.Contains($"{origin}:{sequence}", reply.Reason);
    }
}
