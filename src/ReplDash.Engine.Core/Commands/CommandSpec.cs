namespace ReplDash.Engine.Core.Commands;

/// <summary>Runs one data command against the keyspace.</summary>
public delegate void CommandHandler(CommandContext context, byte[][] args);

/// <summary>
/// One data command. <paramref name="Arity"/> follows Redis: positive means exactly that many arguments
/// (command name included), negative means at least that many. Key positions follow Redis's COMMAND
/// output (first key, last key with -1 meaning the last argument, step); 0,0,0 when there are no keys.
/// </summary>
public sealed record CommandSpec(string Name, int Arity, CommandFlags Flags, int FirstKey, int LastKey, int KeyStep,
    CommandHandler Handler)
{
    /// <summary>True when the argument count fits the arity.</summary>
    public bool AcceptsArgumentCount(int count) => Arity >= 0 ? count == Arity : count >= -Arity;

    /// <summary>
    /// For a command whose keys move (LMPOP numkeys key...; COMMAND shows 0,0,0 and "movablekeys" for it): finds the
    /// key indexes in one call's arguments. Null for commands with fixed key positions.
    /// </summary>
    public Func<byte[][], IEnumerable<int>>? MovableKeys { get; init; }

    /// <summary>The indexes of the key arguments of one call, movable keys included.</summary>
    public IEnumerable<int> KeyIndexes(byte[][] args) => MovableKeys is { } find ? find(args) : KeyIndexes(args.Length);

    /// <summary>The indexes of the key arguments of one call (fixed positions only).</summary>
    public IEnumerable<int> KeyIndexes(int argumentCount)
    {
        if (FirstKey <= 0)
            yield break;
        int last = LastKey < 0 ? argumentCount + LastKey : LastKey;
        for (int i = FirstKey; i <= last && i < argumentCount; i += Math.Max(1, KeyStep))
            yield return i;
    }
}
