using System.Buffers;
using System.IO.Pipelines;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>EXEC and WATCH: a MULTI block runs as one binlog transaction, or not at all when a watched key changed.</summary>
public sealed partial class RespSession
{
    private readonly KeyWatcher _watcher = new();

    private void Watch(byte[][] args, PipeWriter output)
    {
        if (_transaction is not null)
        {
            // Answered, not queued, and the transaction stays valid (Redis's behaviour).
            RespWriter.Error(output, "ERR WATCH inside MULTI is not allowed");
            return;
        }
        try
        {
            node.Watch(_watcher, args[1..], _database);
            RespWriter.Ok(output);
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, e.RespError);
        }
    }

    private BinlogPosition Exec(PipeWriter output)
    {
        if (_transaction is null)
        {
            RespWriter.Error(output, "ERR EXEC without MULTI");
            return BinlogPosition.Zero;
        }
        var queued = _transaction;
        _transaction = null;
        client.InTransaction = false;
        if (_transactionFailed)
        {
            node.Unwatch(_watcher);
            RespWriter.Error(output, "EXECABORT Transaction discarded because of previous errors.");
            return BinlogPosition.Zero;
        }
        try
        {
            var position = queued.TrueForAll(q => q.Spec is not null)
                ? node.ExecuteTransaction(queued.ConvertAll(q => (q.Spec!, q.Args)), output, ref _database, _watcher)
                : ExecWithServerCommands(queued, output);
            client.Database = _database;
            _lastWrite = BinlogPosition.Max(_lastWrite, position);
            return position;
        }
        catch (NodeUnavailableException e)
        {
            node.Unwatch(_watcher);
            RespWriter.Error(output, e.RespError);
            return BinlogPosition.Zero;
        }
    }

    /// <summary>
    /// A block that also queued connection or server commands (PING, ECHO, INFO...): the data commands run as one
    /// transaction under the node's lock, the others after it (they read no key), and the replies keep the queued order.
    /// </summary>
    private BinlogPosition ExecWithServerCommands(List<(CommandSpec? Spec, byte[][] Args)> queued, PipeWriter output)
    {
        var data = new List<(CommandSpec Spec, byte[][] Args)>();
        foreach (var (spec, args) in queued)
            if (spec is not null)
                data.Add((spec, args));
        // In the client's protocol: a RESP3 client gets RESP3's forms inside EXEC too.
        var replies = data.ConvertAll(_ => new RespReplyBuffer(_protocol));
        var whole = new RespReplyBuffer(_protocol);
        var position = node.ExecuteTransaction(data, whole, ref _database, _watcher, replies);
        if (whole.WrittenCount > 0)
        {
            // Aborted (a watched key changed) or refused: that one reply answers the EXEC.
            output.Write(whole.WrittenSpan);
            return position;
        }
        RespWriter.ArrayHeader(output, queued.Count);
        int next = 0;
        foreach (var (spec, args) in queued)
        {
            if (spec is not null)
                output.Write(replies[next++].WrittenSpan);
            else
                position = BinlogPosition.Max(position, RunServerCommand(args, output));
        }
        return position;
    }
}
