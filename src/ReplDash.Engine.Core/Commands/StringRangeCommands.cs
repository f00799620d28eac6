using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Commands over part of a string: SETRANGE, GETRANGE (and its old name SUBSTR).</summary>
internal static class StringRangeCommands
{
    /// <summary>SETRANGE key offset value: the new length. Replicated as sent (deterministic), only when something changed.</summary>
    public static void SetRange(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long offset))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (offset < 0)
        {
            RespWriter.Error(context.Reply, "ERR offset is out of range");
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        byte[] patch = args[3];
        var current = entry?.StringValue ?? [];
        if (patch.Length == 0)
        {
            RespWriter.Integer(context.Reply, current.Length); // nothing set: no key created, nothing changed
            return;
        }
        if (offset > StringLimits.MaxStringBytes - patch.Length) // written so that a huge offset cannot overflow
        {
            RespWriter.Error(context.Reply, CommandErrors.StringTooLong);
            return;
        }
        // A new array: stored values may be shared with logged effects and committed images.
        var updated = new byte[Math.Max(current.Length, offset + patch.Length)];
        current.CopyTo(updated, 0);
        patch.CopyTo(updated, offset);
        if (entry is null)
            entry = context.Keyspace.Create(args[1], ValueType.String, updated);
        else
            context.Keyspace.ReplaceString(entry, updated);
        entry.RawEncoding = true;
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, updated.Length);
    }

    /// <summary>GETRANGE key start end (and SUBSTR): inclusive, negative from the end, clamped.</summary>
    public static void GetRange(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long start) || !IntegerText.TryParse(args[3], out long end))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        var value = entry?.StringValue ?? [];
        long length = value.Length;
        if (start < 0 && end < 0 && start > end)
        {
            RespWriter.Bulk(context.Reply, []);
            return;
        }
        if (start < 0)
            start = length + start;
        if (end < 0)
            end = length + end;
        if (start < 0)
            start = 0;
        if (end < 0)
            end = 0;
        if (end >= length)
            end = length - 1;
        if (start > end || length == 0)
            RespWriter.Bulk(context.Reply, []);
        else
            RespWriter.Bulk(context.Reply, value.AsSpan((int)start, (int)(end - start + 1)));
    }
}
