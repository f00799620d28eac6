namespace ReplDash.Engine.Core.Commands;

/// <summary>Redis 7's exact error replies, so clients and their tests see the same text.</summary>
public static class CommandErrors
{
    /// <summary>A command used on a key of another type.</summary>
    public const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /// <summary>An argument or stored value that is not a 64-bit integer.</summary>
    public const string NotInteger = "ERR value is not an integer or out of range";

    /// <summary>A count that must be zero or more.</summary>
    public const string NotPositive = "ERR value is out of range, must be positive";

    /// <summary>INCR and friends past the 64-bit range.</summary>
    public const string Overflow = "ERR increment or decrement would overflow";

    /// <summary>Options that do not parse.</summary>
    public const string Syntax = "ERR syntax error";

    /// <summary>A SCAN cursor that is not an unsigned integer.</summary>
    public const string InvalidCursor = "ERR invalid cursor";

    /// <summary>APPEND past the bulk size limit.</summary>
    public const string StringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    /// <summary>The wrong-arity reply for a command (lowercase name, as Redis prints it).</summary>
    public static string WrongArgumentCount(string commandName) =>
        $"ERR wrong number of arguments for '{commandName}' command";

    /// <summary>An expiry that is not positive or overflows.</summary>
    public static string InvalidExpireTime(string commandName) => $"ERR invalid expire time in '{commandName}' command";

    /// <summary>The reply to a name <see cref="CommandTable"/> does not know.</summary>
    public static string UnknownCommand(string name) => $"ERR unknown command '{name}'";
}
