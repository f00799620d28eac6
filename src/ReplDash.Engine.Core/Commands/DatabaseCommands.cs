using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Redis's numbered databases: SELECT, FLUSHDB, SWAPDB, MOVE (docs/OPERATIONS.md, "Databases"). Replies and error
/// texts are Redis 7's. Each is replicated deterministically: SELECT as the switch before an effect in another
/// database (<see cref="CommandContext.RecordEffect"/>), the others as sent.
/// </summary>
internal static class DatabaseCommands
{
    /// <summary>The effect that switches the database of the effects after it in one binlog item.</summary>
    public static readonly byte[] SelectName = "SELECT"u8.ToArray();

    private static readonly byte[] MoveName = "MOVE"u8.ToArray();

    public const string OutOfRange = "ERR DB index is out of range";
    public const string SameObject = "ERR source and destination objects are the same";
    private const string IntOutOfRange = "ERR value is out of range, value must between -2147483648 and 2147483647";

    public static void Select(CommandContext context, byte[][] args)
    {
        if (!TryParseIndex(context, args[1], null, out int index))
            return;
        if (!context.Databases.IsValid(index))
        {
            Refuse(context, OutOfRange);
            return;
        }
        context.Database = index;
        RespWriter.Ok(context.Reply);
    }

    public static void FlushDb(CommandContext context, byte[][] args)
    {
        if (args.Length > 2 || (args.Length == 2 && !ArgumentNames.Is(args[1], "ASYNC"u8) && !ArgumentNames.Is(args[1], "SYNC"u8)))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (context.Keyspace.Count > 0)
        {
            context.Keyspace.Clear();
            context.RecordEffect(args);
        }
        RespWriter.Ok(context.Reply);
    }

    public static void SwapDb(CommandContext context, byte[][] args)
    {
        if (!TryParseIndex(context, args[1], "ERR invalid first DB index", out int first)
            || !TryParseIndex(context, args[2], "ERR invalid second DB index", out int second))
            return;
        if (!context.Databases.IsValid(first) || !context.Databases.IsValid(second))
        {
            Refuse(context, OutOfRange);
            return;
        }
        if (first != second)
        {
            context.Databases.Swap(first, second);
            context.RecordEffect(args);
        }
        RespWriter.Ok(context.Reply);
    }

    public static void Move(CommandContext context, byte[][] args)
    {
        if (!TryParseIndex(context, args[2], null, out int target))
            return;
        if (!context.Databases.IsValid(target))
        {
            Refuse(context, OutOfRange);
            return;
        }
        int source = context.Database;
        if (target == source)
        {
            Refuse(context, SameObject);
            return;
        }
        var key = args[1];
        var entry = context.Keyspace.Lookup(context, key);
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        // As Redis's lookupKeyWrite on the target: an expired key there is deleted first (its DEL logged in the target).
        context.Database = target;
        var existing = context.Keyspace.Lookup(context, key);
        var destination = context.Keyspace;
        context.Database = source;
        if (existing is not null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        context.Keyspace.Remove(entry);
        var moved = destination.Create(entry.Key, entry.Type, entry.Value);
        destination.SetExpiry(moved, entry.ExpireAtMs);
        context.RecordEffect(MoveName, entry.Key, IntegerText.Format(target));
        RespWriter.Integer(context.Reply, 1);
    }

    /// <summary>
    /// Reads a database index as Redis's getIntFromObjectOrReply does: not an integer, or beyond 32 bits, is an error
    /// (<paramref name="message"/> when given, else Redis's generic texts).
    /// </summary>
    private static bool TryParseIndex(CommandContext context, byte[] text, string? message, out int index)
    {
        index = 0;
        if (!IntegerText.TryParse(text, out long value))
        {
            Refuse(context, message ?? CommandErrors.NotInteger);
            return false;
        }
        if (value < int.MinValue || value > int.MaxValue)
        {
            Refuse(context, message ?? IntOutOfRange);
            return false;
        }
        index = (int)value;
        return true;
    }

    /// <summary>
    /// An error for the client; while applying a logged item it means the log names a database this node does not have,
    /// and skipping it would silently diverge from the master.
    /// </summary>
    private static void Refuse(CommandContext context, string error)
    {
        if (context.IsApplying)
            throw new InvalidDataException(
                $"A logged database command failed here ({error}); this node has {context.Databases.DatabaseCount} databases (ReplDash:Databases).");
        RespWriter.Error(context.Reply, error);
    }
}
