using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Tests.Resp;

/// <summary>
/// RespWriter's RESP3 helpers: the form depends on the buffer's protocol, so one call is right for both versions, and a
/// plain buffer (replay, every RESP2 connection) keeps RESP2's exact bytes.
/// </summary>
public class Resp3WriterTests
{
    /// <summary>A reply buffer that says which protocol its connection speaks, as the session's RESP3 pipe does.</summary>
    private sealed class VersionedBuffer(int protocol) : IBufferWriter<byte>, IRespProtocolWriter
    {
        private readonly ArrayBufferWriter<byte> _inner = new();
        public int Protocol => protocol;
        public string Text => Encoding.UTF8.GetString(_inner.WrittenSpan);
        public void Advance(int count) => _inner.Advance(count);
        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);
        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);
    }

    private static string Write(int protocol, Action<IBufferWriter<byte>> write)
    {
        var buffer = new VersionedBuffer(protocol);
        write(buffer);
        return buffer.Text;
    }

    [Theory]
    [InlineData(2, "*4\r\n", "*3\r\n", ">3\r\n", "$-1\r\n", "*-1\r\n")]
    [InlineData(3, "%2\r\n", "~3\r\n", ">3\r\n", "_\r\n", "_\r\n")]
    public void Headers_AndNulls_TakeTheFormOfTheBuffersProtocol(int protocol, string map, string set, string push3, string nullBulk, string nullArray)
    {
        Assert.Equal(map, Write(protocol, w => RespWriter.MapHeader(w, 2)));
        Assert.Equal(set, Write(protocol, w => RespWriter.SetHeader(w, 3)));
        Assert.Equal(protocol == 3 ? push3 : "*3\r\n", Write(protocol, w => RespWriter.PushHeader(w, 3)));
        Assert.Equal(nullBulk, Write(protocol, RespWriter.NullBulk));
        Assert.Equal(nullArray, Write(protocol, RespWriter.NullArray));
        Assert.Equal(nullBulk, Write(protocol, RespWriter.Null));
    }

    [Fact]
    public void PlainBuffer_IsResp2()
    {
        var plain = new ArrayBufferWriter<byte>();
        RespWriter.MapHeader(plain, 1);
        RespWriter.NullBulk(plain);
        RespWriter.Double(plain, 1.5);

        Assert.Equal("*2\r\n$-1\r\n$3\r\n1.5\r\n", Encoding.UTF8.GetString(plain.WrittenSpan));
        Assert.Equal(2, RespWriter.ProtocolOf(plain));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.10000000000000001")]
    [InlineData(3.0, "3")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1e-5, "1.0000000000000001e-05")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void FormatDouble_PrintsAsRedis70Does(double value, string expected) => Assert.Equal(expected, RespWriter.FormatDouble(value));

    [Fact]
    public void Double_IsACommaValueInResp3_AndABulkStringInResp2()
    {
        Assert.Equal(",2.5\r\n", Write(3, w => RespWriter.Double(w, 2.5)));
        Assert.Equal("$3\r\n2.5\r\n", Write(2, w => RespWriter.Double(w, 2.5)));
    }

    [Fact]
    public void VerbatimText_IsATxtVerbatimStringInResp3_AndABulkStringInResp2()
    {
        Assert.Equal("=9\r\ntxt:a:1\r\n\r\n", Write(3, w => RespWriter.VerbatimText(w, "a:1\r\n")));
        Assert.Equal("$5\r\na:1\r\n\r\n", Write(2, w => RespWriter.VerbatimText(w, "a:1\r\n")));
    }

    [Fact]
    public void HGetAll_IsAMapAndSMembersASet_InResp3()
    {
        var store = new KeyspaceStore();
        Run(store, 2, "HSET h f v");
        Run(store, 2, "SADD s m");

        Assert.Equal("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", Run(store, 3, "HGETALL h"));
        Assert.Equal("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", Run(store, 2, "HGETALL h"));
        Assert.Equal("%0\r\n", Run(store, 3, "HGETALL missing"));
        Assert.Equal("~1\r\n$1\r\nm\r\n", Run(store, 3, "SMEMBERS s"));
        Assert.Equal("~0\r\n", Run(store, 3, "SPOP missing 2"));
        Assert.Equal("_\r\n", Run(store, 3, "GET missing"));
        Assert.Equal("$-1\r\n", Run(store, 2, "GET missing"));
        Assert.Equal("_\r\n", Run(store, 3, "LPOP missing 2"));
    }

    [Fact]
    public void CommandContext_TellsTheProtocolOfItsReply()
    {
        var context = new CommandContext(new KeyspaceStore(), new VersionedBuffer(3), 0, new Random(0));
        Assert.Equal(3, context.Protocol);
        context.Reply = new ArrayBufferWriter<byte>();
        Assert.Equal(2, context.Protocol);
    }

    private static string Run(KeyspaceStore store, int protocol, string line)
    {
        var args = line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        var reply = new VersionedBuffer(protocol);
        CommandTable.Find(args[0])!.Handler(new CommandContext(store, reply, 1_000, new Random(0)), args);
        return reply.Text;
    }
}
