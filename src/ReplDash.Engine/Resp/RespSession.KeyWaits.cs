using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Blocking commands (<see cref="KeyWaitRules"/>) outside MULTI: like WAIT, answered asynchronously once the
/// replies before them are out, and the commands pipelined behind them wait their turn. Inside MULTI they are
/// queued and run without blocking.
/// </summary>
public sealed partial class RespSession
{
    /// <summary>A blocking command that may block here: outside MULTI, authenticated, with a valid argument count.</summary>
    private bool IsKeyWait(byte[][] args)
    {
        if (_transaction is not null || !_authenticated)
            return false;
        var spec = CommandTable.Find(args[0]);
        return spec is not null && KeyWaitRules.Find(spec.Name) is not null && spec.AcceptsArgumentCount(args.Length);
    }

    /// <summary>
    /// Runs a blocking command and holds its reply until what it depends on is released (a served pop is a write
    /// like any other). Returns false when the connection must close (client gone, or the write was not made durable).
    /// </summary>
    private async Task<bool> RunKeyWaitAsync(byte[][] args, PipeWriter output)
    {
        var spec = CommandTable.Find(args[0])!;
        var rule = KeyWaitRules.Find(spec.Name)!;
        client.LastCommand = spec.Name;
        // An invalid timeout is answered by the command itself before it could block.
        KeyWaitTimeout.TryParse(args[rule.TimeoutIndex(args)], out var timeout, out _);
        BinlogPosition position;
        try
        {
            position = await node.ExecuteWaitingAsync(spec, args, rule, timeout, output, connection.ConnectionClosed, _database);
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, e.RespError);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false; // the client disconnected while blocked
        }
        if (position == BinlogPosition.Zero)
            return true;
        _lastWrite = BinlogPosition.Max(_lastWrite, position);
        try
        {
            await node.WaitRepliesAsync(position, position);
        }
        catch (NodeUnavailableException)
        {
            connection.Abort(); // never send the reply of a write that was not made durable
            return false;
        }
        return true;
    }
}
