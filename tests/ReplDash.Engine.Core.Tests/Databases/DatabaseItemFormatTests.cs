using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Node;

namespace ReplDash.Engine.Core.Tests.Databases;

/// <summary>Binlog item formats 1 (before numbered databases) and 2 (SELECT switches the database).</summary>
public class DatabaseItemFormatTests
{
    private static byte[][] Command(string line) => line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();

    private static BinlogItem Item(long sequence, params string[] commands) =>
        new(BinlogItemType.Transaction, new TransactionId("m1", sequence), 1_700_000_000_000, commands.Select(Command).ToArray());

    // Format 1, as the previous release wrote it: magic, length, type 1, origin "m1", sequence 1, timestamp,
    // one command SET a 1, CRC-32C. Written out by hand so a change to the codec cannot also change the expectation.
    private static readonly byte[] PreviousReleaseItem = Convert.FromHexString(
        "52444249" + "2D000000" + "01" + "02" + "6D31" + "0100000000000000" + "0068E5CF8B010000" + "01000000"
        + "03000000" + "03000000" + "534554" + "01000000" + "61" + "01000000" + "31");

    private static byte[] WithChecksum(byte[] body)
    {
        var bytes = new byte[body.Length + 4];
        body.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(body.Length), Crc32C.Compute(body));
        return bytes;
    }

    [Fact]
    public void AnItemInDatabaseZero_IsWrittenByteForByteAsThePreviousRelease()
    {
        var expected = WithChecksum(PreviousReleaseItem);
        Assert.Equal(expected, BinlogItemCodec.Encode(Item(1, "SET a 1")));
        Assert.Equal(1, BinlogItemCodec.FormatOf(expected));
    }

    [Fact]
    public void AnItemThatSelects_IsFormatTwo_AndRoundTrips()
    {
        var item = Item(2, "SET a 1", "SELECT 3", "SET b 2");
        var bytes = BinlogItemCodec.Encode(item);
        Assert.Equal(2, BinlogItemCodec.FormatOf(bytes));
        Assert.Equal(0x11, bytes[BinlogFormat.ItemPrefixSize]);
        Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(BinlogItemType.Transaction, decoded!.Type);
        Assert.Equal(item.Commands, decoded.Commands);
    }

    [Fact]
    public void AnUnknownFutureFormat_IsCorrupt_NotMisapplied()
    {
        var body = BinlogItemCodec.Encode(Item(2, "SET a 1"))[..^4];
        body[BinlogFormat.ItemPrefixSize] = 0x21; // format 3
        Assert.Equal(ItemDecodeStatus.Corrupt, BinlogItemCodec.TryDecode(WithChecksum(body), out _, out _));
    }

    [Fact]
    public void PreviousReleaseItems_ReplayIntoDatabaseZero_NextToNewFormatItems()
    {
        var log = new List<byte[]>
        {
            WithChecksum(PreviousReleaseItem),                                // old format: SET a 1
            BinlogItemCodec.Encode(Item(2, "SELECT 3", "SET b 2", "SELECT 0", "SET c 3")),
            BinlogItemCodec.Encode(Item(3, "SET d 4")),                      // format 1 again, after a format 2 item
            BinlogItemCodec.Encode(Item(4, "SELECT 3", "SWAPDB 3 5")),
            BinlogItemCodec.Encode(Item(5, "SELECT 5", "MOVE b 1")),
        };
        var databases = new KeyspaceDatabases();
        var applier = new ItemApplier(databases);
        foreach (var bytes in log)
        {
            Assert.Equal(ItemDecodeStatus.Ok, BinlogItemCodec.TryDecode(bytes, out var item, out _));
            applier.Apply(item!);
        }
        Assert.Equal(3, databases[0].Count); // a, c, d: the items without SELECT, and the switch back
        Assert.Equal(0, databases[3].Count);
        Assert.Equal(0, databases[5].Count);
        Assert.True(databases[1].ContainsKey("b"u8.ToArray()));
        Assert.Equal(4, databases.Count);
    }

    [Fact]
    public void AnItemNamingAMissingDatabase_FailsTheApply_InsteadOfDiverging()
    {
        var applier = new ItemApplier(new KeyspaceDatabases(4));
        var error = Assert.Throws<InvalidDataException>(() => applier.Apply(Item(1, "SELECT 9", "SET a 1")));
        Assert.Contains("4 databases", error.Message);
    }
}
