using System.Buffers;
using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP outside MULTI: run on their own, after the replies before them are
/// out, because the client may stay blocked. A served reply goes out by the same rule as any write reply (committed
/// and, under semi-sync, acknowledged: no client reads an unacknowledged write).
/// </summary>
public sealed partial class RespSession
{
    /// <summary>A blocking command outside MULTI, by an authenticated client (cheap test first: every such name starts with B).</summary>
    private bool IsBlockingCommand(byte[][] args) =>
        args[0].Length > 0 && (args[0][0] | 0x20) == 'b' && _transaction is null && _authenticated &&
        CommandTable.Find(args[0]) is { } spec && (spec.Flags & CommandFlags.Blocking) != 0;

    /// <summary>Runs a blocking command to its reply and flushes it; false when the connection is gone or must be dropped.</summary>
    private async Task<bool> RunBlockingAsync(byte[][] args, PipeWriter output)
    {
        var spec = CommandTable.Find(args[0])!;
        client.LastCommand = spec.Name;
        if (!spec.AcceptsArgumentCount(args.Length))
        {
            RespWriter.Error(output, WrongArity(spec.Name));
            await output.FlushAsync();
            return true;
        }
        BinlogPosition position;
        try
        {
            (position, var blocked) = node.ExecuteBlocking(spec, args, output);
            if (blocked is not null)
            {
                var outcome = await node.WaitBlockedAsync(blocked, connection.ConnectionClosed);
                if (outcome.Reply is null && connection.ConnectionClosed.IsCancellationRequested)
                    return false; // nobody to answer; the client was unblocked without taking anything
                if (outcome.Reply is null)
                    RespWriter.NullArray(output); // a timeout, as Redis answers every blocked list pop
                else
                    output.Write(outcome.Reply);
                position = BinlogPosition.Max(position, outcome.Position);
            }
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, e.RespError);
            await output.FlushAsync();
            return true;
        }
        // The pop is this client's own write: its reply waits for the commit and, under semi-sync, the acks.
        _lastWrite = BinlogPosition.Max(_lastWrite, position);
        if (position > node.Committed || position > node.Released)
        {
            try
            {
                await node.WaitRepliesAsync(position, position);
            }
            catch (NodeUnavailableException)
            {
                connection.Abort(); // not durable: never send what it took
                return false;
            }
        }
        await output.FlushAsync();
        return true;
    }
}
