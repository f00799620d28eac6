using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Tests.Resp;

public class RespRequestParserTests
{
    private static readonly RespLimits Limits = new(MaxBulkBytes: 1024, MaxArguments: 8, MaxInlineBytes: 64);

    private static (RespParseStatus Status, string[] Args, long Consumed, string? Error) Parse(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var status = RespRequestParser.TryParse(buffer, Limits, out var args, out var consumed, out var error);
        return (status, args.Select(a => Encoding.ASCII.GetString(a)).ToArray(), buffer.Slice(0, consumed).Length, error);
    }

    [Fact]
    public void MultiBulk_IsParsedAndConsumedExactly()
    {
        var result = Parse("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n");
        Assert.Equal(RespParseStatus.Complete, result.Status);
        Assert.Equal(["GET", "k"], result.Args);
        Assert.Equal(20, result.Consumed);
    }

    [Fact]
    public void EveryPrefixOfAFrame_IsIncomplete()
    {
        const string frame = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n";
        for (int length = 0; length < frame.Length; length++)
            Assert.Equal(RespParseStatus.Incomplete, Parse(frame[..length]).Status);
        Assert.Equal(RespParseStatus.Complete, Parse(frame).Status);
    }

    [Fact]
    public void FrameSplitAcrossSegments_IsParsed()
    {
        var bytes = Encoding.ASCII.GetBytes("*2\r\n$3\r\nGET\r\n$5\r\nhello\r\n");
        var first = new Segment(bytes[..9]);
        var last = first.Append(bytes[9..]);
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(RespParseStatus.Complete, RespRequestParser.TryParse(sequence, Limits, out var args, out _, out _));
        Assert.Equal("hello", Encoding.ASCII.GetString(args[1]));
    }

    [Theory]
    [InlineData("SET k v\r\n", new[] { "SET", "k", "v" })]
    [InlineData("  SET   \"a b\"  'c d'\n", new[] { "SET", "a b", "c d" })]
    [InlineData("ECHO \"\\x41\\n\"\r\n", new[] { "ECHO", "A\n" })]
    [InlineData("\r\n", new string[0])]
    public void InlineCommands_SplitLikeRedis(string line, string[] expected)
    {
        var result = Parse(line);
        Assert.Equal(RespParseStatus.Complete, result.Status);
        Assert.Equal(expected, result.Args);
    }

    [Theory]
    [InlineData("*1\r\n$2000\r\n", "invalid bulk length")]
    [InlineData("*9\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n$3\r\nabcde", "CRLF")]
    [InlineData("*1\r\n:3\r\n", "expected '$'")]
    [InlineData("*abc\r\n", "invalid multibulk length")]
    [InlineData("SET \"open\r\n", "unbalanced quotes")]
    public void LimitAndSyntaxViolations_AreProtocolErrors(string text, string message)
    {
        var result = Parse(text);
        Assert.Equal(RespParseStatus.ProtocolError, result.Status);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void InlineLineLongerThanTheLimit_IsAProtocolErrorEvenWithoutNewline()
    {
        var result = Parse("SET k " + new string('x', 100));
        Assert.Equal(RespParseStatus.ProtocolError, result.Status);
        Assert.Contains("too big inline request", result.Error);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
