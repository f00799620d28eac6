using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP against Redis 7's documented results and error texts.</summary>
public class BitCommandsTests
{
    private readonly CommandHarness _h = new(nowMs: 1_000_000);

    [Fact]
    public void SetBit_ReturnsThePreviousBit_GrowsTheString_AndLogsOnlyChanges()
    {
        _h.Expect("SETBIT k 7 1", Resp.Int(0));
        Assert.Equal(["SETBIT k 7 1"], _h.LastEffects);
        _h.Expect("GET k", Resp.Bulk("\u0001"));
        _h.Expect("SETBIT k 7 1", Resp.Int(1));
        Assert.Empty(_h.LastEffects); // no change, nothing to replicate
        _h.Expect("SETBIT k 7 0", Resp.Int(1));
        _h.Expect("SETBIT k 17 0", Resp.Int(0)); // grows to 3 bytes even when clearing
        _h.Expect("STRLEN k", Resp.Int(3));
        _h.Expect("GETBIT k 7", Resp.Int(0));
        _h.Expect("GETBIT k 100", Resp.Int(0));
        _h.Expect("GETBIT missing 0", Resp.Int(0));
    }

    [Theory]
    [InlineData("SETBIT k -1 1", "ERR bit offset is not an integer or out of range")]
    [InlineData("SETBIT k 4294967296 1", "ERR bit offset is not an integer or out of range")]
    [InlineData("SETBIT k x 1", "ERR bit offset is not an integer or out of range")]
    [InlineData("SETBIT k 0 2", "ERR bit is not an integer or out of range")]
    [InlineData("SETBIT k 0 -1", "ERR bit is not an integer or out of range")]
    [InlineData("GETBIT k -1", "ERR bit offset is not an integer or out of range")]
    public void BadOffsetsAndBits_AreRefused(string command, string error)
    {
        _h.Expect(command, Resp.Error(error));
        _h.Expect("EXISTS k", Resp.Int(0));
    }

    [Fact]
    public void BitCommands_OnAnotherType_AreWrongType()
    {
        _h.Run("LPUSH l a");
        _h.Expect("SETBIT l 0 1", Resp.WrongType);
        _h.Expect("GETBIT l 0", Resp.WrongType);
        _h.Expect("BITCOUNT l", Resp.WrongType);
        _h.Expect("BITPOS l 1", Resp.WrongType);
        _h.Expect("BITOP AND d l", Resp.WrongType);
    }

    [Theory]
    [InlineData("", 26)]
    [InlineData(" 0 0", 4)]
    [InlineData(" 1 1", 6)]
    [InlineData(" 1 1 BYTE", 6)]
    [InlineData(" 5 30 BIT", 17)]
    [InlineData(" -2 -1", 7)]
    [InlineData(" -1 -2", 0)]
    [InlineData(" 100 200", 0)]
    public void BitCount_CountsInByteAndBitRanges(string range, long expected)
    {
        _h.Run("SET mykey foobar");
        _h.Expect("BITCOUNT mykey" + range, Resp.Int(expected));
    }

    [Fact]
    public void BitCount_MissingKeyIsZero_AndBadArgumentsAreErrors()
    {
        _h.Expect("BITCOUNT nokey", Resp.Int(0));
        _h.Run("SET k foobar");
        _h.Expect("BITCOUNT k 0", Resp.Syntax);
        _h.Expect("BITCOUNT k 0 1 BITS", Resp.Syntax);
        _h.Expect("BITCOUNT k a 1", Resp.NotInteger);
    }

    [Fact]
    public void BitPos_FindsFirstSetAndClearBits_WithRedisRules()
    {
        _h.Run(["SET"u8.ToArray(), "k"u8.ToArray(), [0xff, 0xf0, 0x00]]);
        _h.Expect("BITPOS k 0", Resp.Int(12));
        _h.Run(["SET"u8.ToArray(), "k"u8.ToArray(), [0x00, 0xff, 0xf0]]);
        _h.Expect("BITPOS k 1 0", Resp.Int(8));
        _h.Expect("BITPOS k 1 2", Resp.Int(16));
        _h.Expect("BITPOS k 1 2 -1 BYTE", Resp.Int(16));
        _h.Expect("BITPOS k 1 7 15 BIT", Resp.Int(8));
        _h.Expect("BITPOS k 1 7 -3 BIT", Resp.Int(8));
        _h.Run(["SET"u8.ToArray(), "k"u8.ToArray(), [0xff, 0xff, 0xff]]);
        _h.Expect("BITPOS k 0", Resp.Int(24)); // no end given: the zeros past the string count
        _h.Expect("BITPOS k 0 0 -1", Resp.Int(-1)); // an explicit end: they do not
        _h.Expect("BITPOS k 1 5 2", Resp.Int(-1)); // empty range
        _h.Expect("BITPOS nokey 0", Resp.Int(0));
        _h.Expect("BITPOS nokey 1", Resp.Int(-1));
        _h.Expect("BITPOS k 2", Resp.Error("ERR The bit argument must be 1 or 0."));
        _h.Expect("BITPOS k 1 0 1 BITS", Resp.Syntax);
    }

    [Fact]
    public void BitOp_ComputesIntoTheDestination_PadsShortSources_AndLogsAsSent()
    {
        _h.Run("SET a foobar");
        _h.Run("SET b abcdef");
        _h.Expect("BITOP AND dest a b", Resp.Int(6));
        Assert.Equal(["BITOP AND dest a b"], _h.LastEffects);
        _h.Expect("GET dest", Resp.Bulk("`bc`ab"));
        _h.Run(["SET"u8.ToArray(), "x"u8.ToArray(), [0x0f]]);
        _h.Run(["SET"u8.ToArray(), "y"u8.ToArray(), [0xf0, 0x01]]);
        _h.Expect("BITOP OR d x y", Resp.Int(2));
        _h.Expect("GETBIT d 0", Resp.Int(1));
        _h.Expect("BITCOUNT d", Resp.Int(9));
        _h.Expect("BITOP XOR d x y missing", Resp.Int(2));
        _h.Expect("BITCOUNT d", Resp.Int(9));
        _h.Expect("BITOP NOT d x", Resp.Int(1));
        _h.Expect("GETBIT d 0", Resp.Int(1));
        _h.Expect("GETBIT d 7", Resp.Int(0));
    }

    [Fact]
    public void BitOp_AllSourcesEmpty_DeletesTheDestination()
    {
        _h.Run("SET dest v EX 100");
        _h.Expect("BITOP OR dest nokey1 nokey2", Resp.Int(0));
        _h.Expect("EXISTS dest", Resp.Int(0));
        _h.Run("SET x a");
        _h.Run("SET dest v EX 100");
        _h.Expect("BITOP OR dest x", Resp.Int(1));
        _h.Expect("TTL dest", Resp.Int(-1)); // the result has no expiry
    }

    [Fact]
    public void BitOp_BadOperations_AreRefused()
    {
        _h.Expect("BITOP NAND d a", Resp.Syntax);
        _h.Expect("BITOP NOT d a b", Resp.Error("ERR BITOP NOT must be called with a single source key."));
    }
}
