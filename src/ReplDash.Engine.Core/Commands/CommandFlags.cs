namespace ReplDash.Engine.Core.Commands;

/// <summary>What a command does, as the session needs to know it before running it.</summary>
[Flags]
public enum CommandFlags
{
    None = 0,
    /// <summary>May change the dataset; refused on a read-only replica.</summary>
    Write = 1,
    /// <summary>Only reads the dataset.</summary>
    ReadOnly = 2,
    /// <summary>Touches the whole dataset (KEYS, SCAN, DBSIZE, FLUSHALL): waits for every pending write.</summary>
    AllKeys = 4,
    /// <summary>May block the client until a key is ready (BLPOP...): run outside a pipeline batch, never inside MULTI.</summary>
    Blocking = 8,
}
