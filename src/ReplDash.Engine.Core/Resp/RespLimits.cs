namespace ReplDash.Engine.Core.Resp;

/// <summary>
/// Bounds on what a client may send. Anything past a limit is a protocol error: the client gets a
/// clear error and its connection is closed; other clients are unaffected.
/// </summary>
/// <param name="MaxBulkBytes">Largest single argument (Redis's proto-max-bulk-len).</param>
/// <param name="MaxArguments">Most arguments in one command, the command name included.</param>
/// <param name="MaxInlineBytes">Longest inline (non-RESP) command line.</param>
public sealed record RespLimits(int MaxBulkBytes = 64 * 1024 * 1024, int MaxArguments = 1024 * 1024, int MaxInlineBytes = 64 * 1024)
{
    /// <summary>The defaults, used when the configuration says nothing.</summary>
    public static RespLimits Default { get; } = new();
}
