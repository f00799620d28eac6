using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>The optional count of LPOP, RPOP and SPOP: an integer, zero or more.</summary>
internal static class CountArgument
{
    /// <summary>Parses the count; writes Redis's error and returns false when invalid.</summary>
    public static bool TryParse(CommandContext context, byte[] argument, out long count)
    {
        if (!IntegerText.TryParse(argument, out count))
        {
            RespWriter.Error(context.Reply, CommandErrors.NotInteger);
            return false;
        }
        if (count < 0)
        {
            RespWriter.Error(context.Reply, CommandErrors.NotPositive);
            return false;
        }
        return true;
    }
}
