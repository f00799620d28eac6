using System.Buffers;
using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP outside MULTI, in any database: run on their own, after the replies before them are
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
            (position, var blocked) = node.ExecuteBlocking(spec, args, output,
                registered => client.Unblock = withError => node.Unblock(registered, withError), _database);
            if (blocked is not null)
            {
                BlockedOutcome outcome;
                try
                {
                    outcome = await node.WaitBlockedAsync(blocked, connection.ConnectionClosed);
                }
                finally
                {
                    client.Unblock = null;
                }
                if (outcome.Reply is null && connection.ConnectionClosed.IsCancellationRequested)
                    return false; // nobody to answer; the client was unblocked without taking anything
                if (outcome.Reply is null)
                    RespWriter.NullArray(output); // a timeout, as Redis answers every blocked pop
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

    /// <summary>CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked and is now answered, else 0.</summary>
    private void ClientUnblock(byte[][] args, PipeWriter output)
    {
        bool withError = false;
        if (args.Length == 4)
        {
            if (IsName(args[3], "ERROR"))
                withError = true;
            else if (!IsName(args[3], "TIMEOUT"))
            {
                RespWriter.Error(output, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        if (!RespRequestParser.TryParseLong(args[2], out long id))
        {
            RespWriter.Error(output, "ERR value is not an integer or out of range");
            return;
        }
        var target = cluster.Clients.FirstOrDefault(c => c.Id == id);
        RespWriter.Integer(output, target?.Unblock is { } unblock && unblock(withError) ? 1 : 0);
    }
}
