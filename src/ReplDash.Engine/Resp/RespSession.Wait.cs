using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Redis's <c>WAIT numreplicas timeout</c>: how many slaves hold this client's writes synced to their relay
/// log, waiting up to timeout ms (0: no limit) for numreplicas of them.
/// </summary>
public sealed partial class RespSession
{
    // End of this client's latest write (what WAIT waits for).
    private BinlogPosition _lastWrite;

    /// <summary>WAIT outside MULTI, by an authenticated client: answered asynchronously by <see cref="WaitForSlavesAsync"/>.</summary>
    private bool IsWait(byte[][] args) => IsName(args[0], "WAIT") && _transaction is null && _authenticated;

    // The longest timeout a TimeSpan holds; a larger one (up to 2^63 - 1 ms, as Redis accepts) waits as long.
    private static readonly long MaxWaitMs = (long)TimeSpan.MaxValue.TotalMilliseconds;

    private async Task WaitForSlavesAsync(byte[][] args, PipeWriter output)
    {
        if (args.Length != 3)
        {
            RespWriter.Error(output, WrongArity("wait"));
            return;
        }
        if (!RespRequestParser.TryParseLong(args[1], out long wanted) || !RespRequestParser.TryParseLong(args[2], out long timeoutMs))
        {
            RespWriter.Error(output, "ERR value is not an integer or out of range");
            return;
        }
        if (timeoutMs < 0)
        {
            RespWriter.Error(output, "ERR timeout is negative");
            return;
        }
        if (node.Role != NodeRole.Master)
        {
            RespWriter.Error(output, "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.");
            return;
        }
        int count = await node.WaitForSlavesAsync(_lastWrite, (int)Math.Clamp(wanted, 0, int.MaxValue),
            timeoutMs == 0 ? null : TimeSpan.FromMilliseconds(Math.Min(timeoutMs, MaxWaitMs)));
        RespWriter.Integer(output, count);
    }
}
