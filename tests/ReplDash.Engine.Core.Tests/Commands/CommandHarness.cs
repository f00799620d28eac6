using System.Buffers;
using System.Text;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>
/// Runs commands by name through <see cref="CommandTable"/> against one store, as the session would
/// (arity check first), and keeps the reply text and the recorded effects.
/// </summary>
internal sealed class CommandHarness
{
    public CommandHarness(long? nowMs = 1_000_000, int seed = 1)
    {
        NowMs = nowMs;
        Random = new Random(seed);
    }

    public KeyspaceStore Store { get; } = new();

    /// <summary>The master clock; null to run as a replica applying effects.</summary>
    public long? NowMs { get; set; }

    public long? ReadClockMs { get; set; }

    /// <summary>The RESP version of the client the replies go to (2, or 3 as after HELLO 3).</summary>
    public int Protocol { get; set; } = 2;

    public Random Random { get; }

    /// <summary>Effects recorded by the last command, as space-separated text.</summary>
    public List<string> LastEffects { get; private set; } = new();

    /// <summary>Every effect recorded so far, in order.</summary>
    public List<byte[][]> AllEffects { get; } = new();

    /// <summary>Runs a command written as space-separated words (no word may contain a space).</summary>
    public string Run(string line) => Run(line.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray());

    /// <summary>Runs a command given as raw arguments and returns the reply as text.</summary>
    public string Run(byte[][] args) => Encoding.UTF8.GetString(RunBytes(args));

    /// <summary>Runs a command given as raw arguments and returns the reply's bytes (for binary replies such as DUMP's).</summary>
    public byte[] RunBytes(byte[][] args)
    {
        var spec = CommandTable.Find(args[0]) ?? throw new InvalidOperationException("unknown command");
        var reply = new ReplDash.Engine.Core.Resp.RespReplyBuffer(Protocol);
        var context = NewContext(reply);
        if (!spec.AcceptsArgumentCount(args.Length))
            return Encoding.UTF8.GetBytes($"-{CommandErrors.WrongArgumentCount(spec.Name)}\r\n");
        spec.Handler(context, args);
        Collect(context);
        Assert.Equal(1, RespShape.CountValues(reply.WrittenSpan));
        return reply.WrittenSpan.ToArray();
    }

    /// <summary>Runs active expiry.</summary>
    public int Sweep(int maxKeys)
    {
        var context = NewContext(new ArrayBufferWriter<byte>());
        int deleted = Store.SweepExpired(context, maxKeys);
        Collect(context);
        return deleted;
    }

    /// <summary>Runs <paramref name="line"/> and asserts the exact reply.</summary>
    public void Expect(string line, string reply) => Assert.Equal(reply, Run(line));

    private CommandContext NewContext(IBufferWriter<byte> reply) =>
        new(Store, reply, NowMs, Random) { ReadClockMs = ReadClockMs };

    private void Collect(CommandContext context)
    {
        LastEffects = context.Effects.Select(e => string.Join(' ', e.Select(a => Encoding.UTF8.GetString(a)))).ToList();
        AllEffects.AddRange(context.Effects);
    }
}
