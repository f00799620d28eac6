using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>The blocking pops' immediate answers and block requests (serving them over TCP is tested in the engine).</summary>
public class BlockingListCommandsTests
{
    private readonly CommandHarness _h = new();

    [Fact]
    public void WithData_TheyActAtOnce_ReplicatedAsTheNonBlockingForm()
    {
        _h.Run("RPUSH b 1 2 3");
        _h.Expect("BLPOP a b 0", Resp.Array("b", "1"));
        Assert.Equal(["LPOP b"], _h.LastEffects);
        _h.Expect("BRPOP a b 0", Resp.Array("b", "3"));
        Assert.Equal(["RPOP b"], _h.LastEffects);
        _h.Expect("BLMOVE b d RIGHT LEFT 0", Resp.Bulk("2"));
        Assert.Equal(["LMOVE b d RIGHT LEFT"], _h.LastEffects);
        _h.Expect("BRPOPLPUSH d e 0", Resp.Bulk("2"));
        Assert.Equal(["RPOPLPUSH d e"], _h.LastEffects);
        _h.Expect("BLMPOP 0 2 a e LEFT COUNT 5", "*2\r\n" + Resp.Bulk("e") + Resp.Array("2"));
        Assert.Equal(["LPOP e 1"], _h.LastEffects);
    }

    [Fact]
    public void WhereBlockingIsNotAllowed_TheyAnswerLikeATimeout()
    {
        _h.Expect("BLPOP a 0", Resp.NilArray);
        _h.Expect("BRPOP a b 1.5", Resp.NilArray);
        _h.Expect("BLMPOP 0 1 a LEFT", Resp.NilArray);
        _h.Expect("BLMOVE a b LEFT LEFT 0", Resp.Nil); // Redis's non-blocking BLMOVE answers a null bulk
        _h.Expect("BRPOPLPUSH a b 0", Resp.Nil);
        Assert.Empty(_h.AllEffects);
    }

    [Theory]
    [InlineData("BLPOP a -1", "ERR timeout is negative")]
    [InlineData("BLPOP a abc", "ERR timeout is not a float or out of range")]
    [InlineData("BLPOP a nan", "ERR timeout is not a float or out of range")]
    [InlineData("BLMOVE a b LEFT UP 0", "ERR syntax error")]
    [InlineData("BLMPOP 0 0 a LEFT", "ERR numkeys should be greater than 0")]
    [InlineData("BLMPOP x 1 a LEFT", "ERR timeout is not a float or out of range")]
    [InlineData("BLMPOP 0 1 a LEFT COUNT -1", "ERR count should be greater than 0")]
    public void BadArguments_GetRedisErrors(string command, string error) => _h.Expect(command, Resp.Error(error));

    [Fact]
    public void WrongTypeKey_IsAnErrorBeforeAnyBlock()
    {
        _h.Run("SET s x");
        _h.Expect("BLPOP a s 0", Resp.WrongType);
        _h.Run("RPUSH l v");
        _h.Expect("BLMOVE l s LEFT LEFT 0", Resp.WrongType);
        _h.Expect("LRANGE l 0 -1", Resp.Array("v"));
    }

    [Fact]
    public void WhereBlockingIsAllowed_AnEmptyKeyGivesARequest_ThatServesOnceTheListHasData()
    {
        var store = new KeyspaceStore();
        var context = new CommandContext(store, new ArrayBufferWriter<byte>(), 1000, new Random(1)) { BlockingAllowed = true };
        var args = "BLPOP a b a 2.5".Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        CommandTable.Find("blpop")!.Handler(context, args);
        var request = context.Block;
        Assert.NotNull(request);
        Assert.Equal(0, ((ArrayBufferWriter<byte>)context.Reply).WrittenCount);
        Assert.Equal(["a", "b"], request.Keys.Select(Encoding.UTF8.GetString)); // each key once, in order
        Assert.Equal(2500, request.TimeoutMs);

        // Not ready: nothing is served, nothing is written.
        var serveReply = new ArrayBufferWriter<byte>();
        var serving = new CommandContext(store, serveReply, 1000, new Random(1));
        Assert.False(request.Serve(serving, "b"u8.ToArray()));
        Assert.Equal(0, serveReply.WrittenCount);

        var push = new CommandContext(store, new ArrayBufferWriter<byte>(), 1000, new Random(1));
        CommandTable.Find("rpush")!.Handler(push, ["RPUSH"u8.ToArray(), "b"u8.ToArray(), "x"u8.ToArray(), "y"u8.ToArray()]);
        Assert.True(request.Serve(serving, "b"u8.ToArray()));
        Assert.Equal(Resp.Array("b", "x"), Encoding.UTF8.GetString(serveReply.WrittenSpan));
        Assert.Equal("LPOP b", string.Join(' ', serving.Effects.Single().Select(Encoding.UTF8.GetString)));
    }

    [Fact]
    public void ABlockedMoveToAWrongTypeDestination_IsServedWithWrongType_AndTakesNothing()
    {
        var store = _h.Store;
        var context = new CommandContext(store, new ArrayBufferWriter<byte>(), 1000, new Random(1)) { BlockingAllowed = true };
        CommandTable.Find("brpoplpush")!.Handler(context, "BRPOPLPUSH src dst 0".Split(' ').Select(Encoding.UTF8.GetBytes).ToArray());
        var request = context.Block!;
        Assert.Equal("dst", Encoding.UTF8.GetString(request.Destination!));
        Assert.Equal(0, request.TimeoutMs);
        _h.Run("SET dst v");
        _h.Run("RPUSH src x");
        var reply = new ArrayBufferWriter<byte>();
        var serving = new CommandContext(store, reply, 1000, new Random(1));
        Assert.True(request.Serve(serving, "src"u8.ToArray()));
        Assert.Equal(Resp.WrongType, Encoding.UTF8.GetString(reply.WrittenSpan));
        Assert.Empty(serving.Effects);
        _h.Expect("LRANGE src 0 -1", Resp.Array("x"));
    }

    [Fact]
    public void ASortedSetPop_GivesARequestOfTheSameKind_ServedOnlyByASortedSet()
    {
        var store = _h.Store;
        var context = new CommandContext(store, new ArrayBufferWriter<byte>(), 1000, new Random(1)) { BlockingAllowed = true };
        CommandTable.Find("bzmpop")!.Handler(context, "BZMPOP 1.5 2 z1 z2 MAX COUNT 2".Split(' ').Select(Encoding.UTF8.GetBytes).ToArray());
        var request = context.Block!;
        Assert.Equal(0, ((ArrayBufferWriter<byte>)context.Reply).WrittenCount);
        Assert.Equal(["z1", "z2"], request.Keys.Select(Encoding.UTF8.GetString));
        Assert.Equal(1500, request.TimeoutMs); // the one timeout parser: seconds as a double, in milliseconds

        var reply = new ArrayBufferWriter<byte>();
        var serving = new CommandContext(store, reply, 1000, new Random(1));
        _h.Run("RPUSH z2 not-a-zset");
        Assert.False(request.Serve(serving, "z2"u8.ToArray())); // a list does not serve a sorted-set pop
        Assert.Equal(0, reply.WrittenCount);
        _h.Run("ZADD z1 1 a 2 b 3 c");
        Assert.True(request.Serve(serving, "z1"u8.ToArray()));
        Assert.Equal("*2\r\n" + Resp.Bulk("z1") + "*2\r\n" + Resp.Array("c", "3") + Resp.Array("b", "2"), Encoding.UTF8.GetString(reply.WrittenSpan));
        Assert.Equal("ZREM z1 c b", string.Join(' ', serving.Effects.Single().Select(Encoding.UTF8.GetString)));
    }

    [Theory]
    [InlineData("BZPOPMIN a -0.5", "ERR timeout is negative")]
    [InlineData("BZPOPMAX a 1e", "ERR timeout is not a float or out of range")]
    [InlineData("BZMPOP nan 1 a MIN", "ERR timeout is not a float or out of range")]
    [InlineData("BRPOPLPUSH a b -1", "ERR timeout is negative")]
    public void EveryBlockingPop_ParsesItsTimeoutAlike(string command, string error) => _h.Expect(command, Resp.Error(error));
}
