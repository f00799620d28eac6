using ReplDash.Engine.Core.Resp;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Commands;

/// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence of two strings.</summary>
internal static class LcsCommand
{
    /// <summary>The table's size limit, as Redis bounds it by proto-max-bulk-len.</summary>
    private const long MaxTableBytes = StringLimits.MaxStringBytes;

    public static void Lcs(CommandContext context, byte[][] args)
    {
        var first = context.Keyspace.Lookup(context, args[1]);
        var second = context.Keyspace.Lookup(context, args[2]);
        if ((first is not null && first.Type != ValueType.String) || (second is not null && second.Type != ValueType.String))
        {
            RespWriter.Error(context.Reply, "ERR The specified keys must contain string values");
            return;
        }
        bool getLength = false, getIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int i = 3; i < args.Length; i++)
        {
            bool more = i + 1 < args.Length;
            if (ArgumentNames.Is(args[i], "IDX"u8))
                getIndexes = true;
            else if (ArgumentNames.Is(args[i], "LEN"u8))
                getLength = true;
            else if (ArgumentNames.Is(args[i], "WITHMATCHLEN"u8))
                withMatchLength = true;
            else if (ArgumentNames.Is(args[i], "MINMATCHLEN"u8) && more)
            {
                if (!IntegerText.TryParse(args[++i], out minMatchLength))
                {
                    RespWriter.Error(context.Reply, CommandErrors.NotInteger);
                    return;
                }
                minMatchLength = Math.Max(0, minMatchLength);
            }
            else
            {
                RespWriter.Error(context.Reply, CommandErrors.Syntax);
                return;
            }
        }
        if (getLength && getIndexes)
        {
            RespWriter.Error(context.Reply, "ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        byte[] a = first?.StringValue ?? [], b = second?.StringValue ?? [];
        if ((a.Length + 1L) * (b.Length + 1L) * sizeof(int) > MaxTableBytes)
        {
            RespWriter.Error(context.Reply, "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        int width = b.Length + 1;
        var table = new int[(a.Length + 1) * width];
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                table[i * width + j] = a[i - 1] == b[j - 1]
                    ? table[(i - 1) * width + j - 1] + 1
                    : Math.Max(table[(i - 1) * width + j], table[i * width + j - 1]);
        int length = table[a.Length * width + b.Length];
        if (getLength)
        {
            RespWriter.Integer(context.Reply, length);
            return;
        }
        var (sequence, matches) = WalkBack(a, b, table, width, length, minMatchLength);
        if (!getIndexes)
        {
            RespWriter.Bulk(context.Reply, sequence);
            return;
        }
        RespWriter.ArrayHeader(context.Reply, 4); // RESP2 map: matches, then len
        RespWriter.BulkText(context.Reply, "matches");
        RespWriter.ArrayHeader(context.Reply, matches.Count);
        foreach (var (aStart, aEnd, bStart, bEnd) in matches)
        {
            RespWriter.ArrayHeader(context.Reply, withMatchLength ? 3 : 2);
            RespWriter.ArrayHeader(context.Reply, 2);
            RespWriter.Integer(context.Reply, aStart);
            RespWriter.Integer(context.Reply, aEnd);
            RespWriter.ArrayHeader(context.Reply, 2);
            RespWriter.Integer(context.Reply, bStart);
            RespWriter.Integer(context.Reply, bEnd);
            if (withMatchLength)
                RespWriter.Integer(context.Reply, aEnd - aStart + 1);
        }
        RespWriter.BulkText(context.Reply, "len");
        RespWriter.Integer(context.Reply, length);
    }

    /// <summary>Walks the table from the end as Redis does, so the sequence and the ranges (last match first) are Redis's.</summary>
    private static (byte[] Sequence, List<(int AStart, int AEnd, int BStart, int BEnd)> Matches) WalkBack(
        byte[] a, byte[] b, int[] table, int width, int length, long minMatchLength)
    {
        var sequence = new byte[length];
        var matches = new List<(int, int, int, int)>();
        int index = length, i = a.Length, j = b.Length;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0)
        {
            bool emit = false;
            if (a[i - 1] == b[j - 1])
            {
                sequence[--index] = a[i - 1];
                if (aStart < 0)
                {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                }
                else if (aStart == i && bStart == j)
                {
                    aStart--;
                    bStart--;
                }
                else
                    emit = true;
                if (aStart == 0 || bStart == 0)
                    emit = true;
                i--;
                j--;
            }
            else
            {
                if (table[(i - 1) * width + j] > table[i * width + j - 1])
                    i--;
                else
                    j--;
                if (aStart >= 0)
                    emit = true;
            }
            if (emit)
            {
                if (minMatchLength == 0 || aEnd - aStart + 1 >= minMatchLength)
                    matches.Add((aStart, aEnd, bStart, bEnd));
                aStart = -1;
            }
        }
        return (sequence, matches);
    }
}
