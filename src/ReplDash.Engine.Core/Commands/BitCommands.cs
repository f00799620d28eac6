using System.Numerics;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>Bitmap commands over string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP.</summary>
internal static class BitCommands
{
    private const string BitOffsetError = "ERR bit offset is not an integer or out of range";
    private const string BitValueError = "ERR bit is not an integer or out of range";

    /// <summary>SETBIT key offset 0|1: the bit's previous value. Replicated as sent (deterministic), only when something changed.</summary>
    public static void SetBit(CommandContext context, byte[][] args)
    {
        if (!TryParseBitOffset(context, args[2], out long offset))
            return;
        if (!IntegerText.TryParse(args[3], out long on) || (on & ~1L) != 0)
        {
            RespWriter.Error(context.Reply, BitValueError);
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        long byteIndex = offset >> 3;
        int mask = 1 << (7 - (int)(offset & 7));
        var current = entry?.StringValue ?? [];
        bool grows = entry is null || byteIndex >= current.Length;
        int previous = byteIndex < current.Length && (current[byteIndex] & mask) != 0 ? 1 : 0;
        if (grows || previous != on)
        {
            // A new array: stored values may be shared with logged effects and committed images.
            var updated = new byte[Math.Max(current.Length, byteIndex + 1)];
            current.CopyTo(updated, 0);
            updated[byteIndex] = (byte)(on == 1 ? updated[byteIndex] | mask : updated[byteIndex] & ~mask);
            if (entry is null)
                entry = context.Keyspace.Create(args[1], ValueType.String, updated);
            else
                context.Keyspace.ReplaceString(entry, updated);
            entry.RawEncoding = true;
            context.RecordEffect(args);
        }
        RespWriter.Integer(context.Reply, previous);
    }

    /// <summary>GETBIT key offset.</summary>
    public static void GetBit(CommandContext context, byte[][] args)
    {
        if (!TryParseBitOffset(context, args[2], out long offset))
            return;
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        var value = entry?.StringValue ?? [];
        long byteIndex = offset >> 3;
        bool set = byteIndex < value.Length && (value[byteIndex] & (1 << (7 - (int)(offset & 7)))) != 0;
        RespWriter.Integer(context.Reply, set ? 1 : 0);
    }

    /// <summary>BITCOUNT key [start end [BYTE|BIT]].</summary>
    public static void BitCount(CommandContext context, byte[][] args)
    {
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        if (entry is null)
        {
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var value = entry.StringValue;
        long firstBit = 0, lastBit = value.Length * 8L - 1;
        if (args.Length is 4 or 5)
        {
            if (!IntegerText.TryParse(args[2], out long start) || !IntegerText.TryParse(args[3], out long end))
            {
                RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                return;
            }
            if (start < 0 && end < 0 && start > end)
            {
                RespWriter.Integer(context.Reply, 0);
                return;
            }
            if (!TryParseUnit(context, args, 4, out bool bits))
                return;
            (firstBit, lastBit) = BitRange(value.Length, start, end, bits);
        }
        else if (args.Length != 2)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        RespWriter.Integer(context.Reply, firstBit > lastBit ? 0 : CountOnes(value, firstBit, lastBit));
    }

    /// <summary>BITPOS key bit [start [end [BYTE|BIT]]].</summary>
    public static void BitPos(CommandContext context, byte[][] args)
    {
        if (!IntegerText.TryParse(args[2], out long bit))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return;
        }
        if (bit is not (0 or 1))
        {
            RespWriter.Error(context.Reply, "ERR The bit argument must be 1 or 0.");
            return;
        }
        if (!TypedLookup.TryGet(context, args[1], ValueType.String, out var entry))
            return;
        if (entry is null)
        {
            // A missing key is an endless run of zeros.
            RespWriter.Integer(context.Reply, bit == 1 ? -1 : 0);
            return;
        }
        var value = entry.StringValue;
        long firstBit = 0, lastBit = value.Length * 8L - 1;
        bool endGiven = false;
        if (args.Length is 4 or 5 or 6)
        {
            if (!IntegerText.TryParse(args[3], out long start))
            {
                RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                return;
            }
            if (!TryParseUnit(context, args, 5, out bool bits))
                return;
            long end = bits ? value.Length * 8L + 7 : value.Length - 1L;
            if (args.Length >= 5)
            {
                if (!IntegerText.TryParse(args[4], out end))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                endGiven = true;
            }
            (firstBit, lastBit) = BitRange(value.Length, start, end, bits);
        }
        else if (args.Length != 3)
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (firstBit > lastBit)
        {
            RespWriter.Integer(context.Reply, -1);
            return;
        }
        long found = FindBit(value, firstBit, lastBit, bit == 1);
        if (found < 0 && bit == 0 && !endGiven)
            found = lastBit + 1; // past the value the string reads as zeros
        RespWriter.Integer(context.Reply, found);
    }

    /// <summary>BITOP AND|OR|XOR|NOT destkey key [key ...]: the result's length. Replicated as sent (deterministic).</summary>
    public static void BitOp(CommandContext context, byte[][] args)
    {
        var op = args[1];
        bool and = ArgumentNames.Is(op, "AND"u8), or = ArgumentNames.Is(op, "OR"u8), xor = ArgumentNames.Is(op, "XOR"u8),
            not = ArgumentNames.Is(op, "NOT"u8);
        if (!(and || or || xor || not))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return;
        }
        if (not && args.Length != 4)
        {
            RespWriter.Error(context.Reply, "ERR BITOP NOT must be called with a single source key.");
            return;
        }
        var sources = new byte[args.Length - 3][];
        int maxLength = 0;
        for (int i = 3; i < args.Length; i++)
        {
            if (!TypedLookup.TryGet(context, args[i], ValueType.String, out var source))
                return;
            sources[i - 3] = source?.StringValue ?? [];
            maxLength = Math.Max(maxLength, sources[i - 3].Length);
        }
        var store = context.Keyspace;
        var destination = store.Lookup(context, args[2]);
        if (maxLength == 0)
        {
            // Every source empty: no result key at all.
            if (destination is not null)
            {
                store.Remove(destination);
                context.RecordEffect(args);
            }
            RespWriter.Integer(context.Reply, 0);
            return;
        }
        var result = new byte[maxLength];
        for (int j = 0; j < maxLength; j++)
        {
            int acc = At(sources[0], j);
            if (not)
                acc = ~acc;
            for (int s = 1; s < sources.Length; s++)
            {
                int b = At(sources[s], j);
                acc = and ? acc & b : or ? acc | b : acc ^ b;
            }
            result[j] = (byte)acc;
        }
        store.SetString(destination, args[2], result, 0, keepTtl: false);
        context.RecordEffect(args);
        RespWriter.Integer(context.Reply, maxLength);
    }

    private static int At(byte[] value, int index) => index < value.Length ? value[index] : 0;

    private static bool TryParseBitOffset(CommandContext context, byte[] text, out long offset)
    {
        if (!IntegerText.TryParse(text, out offset) || offset < 0 || (offset >> 3) >= StringLimits.MaxStringBytes)
        {
            RespWriter.Error(context.Reply, BitOffsetError);
            return false;
        }
        return true;
    }

    private static bool TryParseUnit(CommandContext context, byte[][] args, int index, out bool bits)
    {
        bits = false;
        if (args.Length <= index)
            return true;
        if (ArgumentNames.Is(args[index], "BIT"u8))
            bits = true;
        else if (!ArgumentNames.Is(args[index], "BYTE"u8))
        {
            RespWriter.Error(context.Reply, CommandErrors.Syntax);
            return false;
        }
        return true;
    }

    /// <summary>Redis's range rules (negative from the end, clamped) as an inclusive range of bit positions.</summary>
    private static (long FirstBit, long LastBit) BitRange(int byteLength, long start, long end, bool bits)
    {
        long total = bits ? byteLength * 8L : byteLength;
        if (start < 0)
            start = total + start;
        if (end < 0)
            end = total + end;
        if (start < 0)
            start = 0;
        if (end < 0)
            end = 0;
        if (end >= total)
            end = total - 1;
        if (start > end)
            return (1, 0);
        return bits ? (start, end) : (start * 8, end * 8 + 7);
    }

    private static long CountOnes(byte[] value, long firstBit, long lastBit)
    {
        long count = 0;
        long bit = firstBit;
        for (; bit <= lastBit && (bit & 7) != 0; bit++)
            count += IsSet(value, bit) ? 1 : 0;
        for (; bit + 7 <= lastBit; bit += 8)
            count += BitOperations.PopCount(value[bit >> 3]);
        for (; bit <= lastBit; bit++)
            count += IsSet(value, bit) ? 1 : 0;
        return count;
    }

    private static long FindBit(byte[] value, long firstBit, long lastBit, bool one)
    {
        byte skip = one ? (byte)0 : (byte)0xFF;
        long bit = firstBit;
        while (bit <= lastBit)
        {
            if ((bit & 7) == 0 && bit + 7 <= lastBit && value[bit >> 3] == skip)
            {
                bit += 8;
                continue;
            }
            if (IsSet(value, bit) == one)
                return bit;
            bit++;
        }
        return -1;
    }

    private static bool IsSet(byte[] value, long bit) => (value[bit >> 3] & (1 << (7 - (int)(bit & 7)))) != 0;
}
