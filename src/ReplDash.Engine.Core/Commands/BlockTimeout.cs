using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The timeout of a blocking command: seconds as a float, 0 for no limit, with Redis's errors.</summary>
internal static class BlockTimeout
{
    // About 146 000 years: past this a timeout is as good as none, and the millisecond count stays far from overflow.
    private const double LongestMs = 1L << 62;

    /// <summary>Parses the timeout into whole milliseconds (rounded up, as Redis does); false after an error reply.</summary>
    public static bool TryParse(CommandContext context, byte[] argument, out long timeoutMs)
    {
        timeoutMs = 0;
        if (!LongDoubleText.TryParse(argument, out double seconds))
        {
            RespWriter.Error(context.Reply, "ERR timeout is not a float or out of range");
            return false;
        }
        double ms = Math.Ceiling(seconds * 1000.0);
        if (ms < 0)
        {
            RespWriter.Error(context.Reply, "ERR timeout is negative");
            return false;
        }
        timeoutMs = ms >= LongestMs ? (long)LongestMs : (long)ms;
        return true;
    }
}
