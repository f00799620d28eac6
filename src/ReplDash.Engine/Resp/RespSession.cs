using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// One client connection. Reads every complete command in the input buffer (pipelining), runs each in
/// order, writes the replies unflushed, then waits until everything those replies depend on is committed
/// and flushes them together. Holding the flush is what keeps uncommitted data invisible.
/// </summary>
public sealed partial class RespSession(DataNode node, ClusterHost cluster, ClientInfo client, ConnectionContext connection)
{
    /// <summary>Replies are flushed at least every this many commands, so a huge pipeline cannot grow memory without end.</summary>
    private const int MaxCommandsPerFlush = 1024;

    private readonly RespLimits _limits = new(cluster.Options.Limits.MaxBulkBytes, cluster.Options.Limits.MaxArguments,
        cluster.Options.Limits.MaxInlineBytes);
    private bool _authenticated = cluster.PasswordOf(node.Id) is null;
    private List<(CommandSpec? Spec, byte[][] Args)>? _transaction;
    private bool _transactionFailed;
    private bool _closeAfterFlush;
    // Reused for every wait of this connection's replies (no task per write).
    private readonly ReplyWaiter _replyWaiter = new();
    // The command being run, for INFO commandstats (null when it was refused or is unknown).
    private string? _ranCommand;

    // The database this client selected (SELECT; Redis's default is 0).
    private int _database;

    public async Task RunAsync()
    {
        client.Kill = connection.Abort;
        try
        {
            await ServeAsync();
        }
        finally
        {
            LeavePubSub();
            // A closed connection watches nothing any more (its registry entries would otherwise stay for good).
            node.Unwatch(_watcher);
        }
    }

    private async Task ServeAsync()
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        // True while this session runs on the thread that released its replies (the binlog flusher): it sends them
        // from there, then leaves before anything that could take long (the next commands, a wait, a close).
        bool onReleasingThread = false;
        while (true)
        {
            // A subscribed or monitoring client gets its messages while it sends nothing.
            ValueTask<ReadResult> read;
            if (ReceivesPushes)
            {
                if (onReleasingThread)
                    await Task.Yield();
                read = ReadWithPushesAsync(input);
            }
            else
            {
                read = input.ReadAsync();
                // The next command is already here (pipelining): run it on the thread pool, not on the flusher.
                if (onReleasingThread && read.IsCompleted)
                    await Task.Yield();
            }
            onReleasingThread = false;
            var result = await read;
            if (result.IsCanceled)
                return; // the server is stopping
            var buffer = result.Buffer;
            var dependency = BinlogPosition.Zero;
            var writesBefore = _lastWrite;
            int commands = 0;
            byte[][]? wait = null;
            byte[][]? blocking = null;
            while (!_closeAfterFlush && commands < MaxCommandsPerFlush)
            {
                var status = RespRequestParser.TryParse(buffer, _limits, out var args, out var consumed, out var error);
                if (status == RespParseStatus.Incomplete)
                    break;
                if (status == RespParseStatus.ProtocolError)
                {
                    RespWriter.Error(Reply, "ERR " + error);
                    _closeAfterFlush = true;
                    commands++;
                    break;
                }
                buffer = buffer.Slice(consumed);
                if (args.Length == 0)
                    continue;
                commands++;
                if (IsWait(args))
                {
                    wait = args; // answered below, once the replies before it are out
                    break;
                }
                if (IsBlockingCommand(args))
                {
                    blocking = args; // run below, once the replies before it are out: it may block this client
                    break;
                }
                // CLIENT REPLY SKIP silences the reply of the command after it.
                _skippingThisReply = _skipNextReply;
                _skipNextReply = false;
                long started = node.Time.GetTimestamp();
                dependency = BinlogPosition.Max(dependency, Dispatch(args, Reply));
                _skippingThisReply = false;
                if (_ranCommand is { } ran)
                    node.CommandStats.Ran(ran, node.Time.GetTimestamp() - started);
            }
            // Everything up to buffer.Start was used; what is left is an incomplete command (or unread).
            bool stoppedEarly = commands >= MaxCommandsPerFlush || wait is not null || blocking is not null;
            input.AdvanceTo(buffer.Start, stoppedEarly ? buffer.Start : buffer.End);
            if (commands > 0)
            {
                // Under AfterCommit a write is visible before it is acknowledged, but its own client still waits.
                var ownWrites = _lastWrite > writesBefore ? _lastWrite : BinlogPosition.Zero;
                if (dependency > node.Committed || (ownWrites != BinlogPosition.Zero && ownWrites > node.Released))
                {
                    try
                    {
                        await node.WaitRepliesAsync(dependency, ownWrites, _replyWaiter);
                        onReleasingThread = _replyWaiter.TakeReleasedInline();
                    }
                    catch (NodeUnavailableException)
                    {
                        // The writes were not made durable: never send their OK. Drop the connection.
                        connection.Abort();
                        return;
                    }
                }
                WritePushes(); // messages that arrived meanwhile go out with the replies
                var flush = output.FlushAsync();
                if (!flush.IsCompleted)
                    onReleasingThread = false; // it continues wherever the output drains
                await flush;
            }
            if (onReleasingThread && (wait is not null || blocking is not null || _closeAfterFlush || result.IsCompleted))
            {
                await Task.Yield();
                onReleasingThread = false;
            }
            if (wait is not null)
            {
                await WaitForSlavesAsync(wait, Reply);
                await output.FlushAsync();
            }
            if (blocking is not null && !await RunBlockingAsync(blocking, Reply))
                return;
            if (_closeAfterFlush || (result.IsCompleted && commands == 0))
                return;
        }
    }

    /// <summary>Runs one command, writing its reply; returns the position the reply depends on.</summary>
    private BinlogPosition Dispatch(byte[][] args, PipeWriter output)
    {
        var spec = CommandTable.Find(args[0]);
        client.LastCommand = FullCommandName(spec, args);
        _ranCommand = null;
        if (!_authenticated && !AllowedBeforeAuth(args[0]))
        {
            RespWriter.Error(output, "NOAUTH Authentication required.");
            return BinlogPosition.Zero;
        }
        if (spec is not null || IsServerCommand(args[0]))
        {
            if (RefusedWhileSubscribed(args, spec?.Name ?? Encoding.ASCII.GetString(args[0]).ToLowerInvariant()))
            {
                node.CommandStats.Rejected(client.LastCommand);
                return BinlogPosition.Zero;
            }
            _ranCommand = client.LastCommand;
            if (node.PubSub.HasMonitors)
                FeedMonitors(args);
        }
        if (_transaction is not null && !IsTransactionControl(args[0]))
            return Queue(spec, args, output);
        if (spec is null)
            return RunServerCommand(args, output);
        if (!spec.AcceptsArgumentCount(args.Length))
        {
            RespWriter.Error(output, WrongArity(spec.Name));
            node.CommandStats.Rejected(client.LastCommand);
            _ranCommand = null;
            return BinlogPosition.Zero;
        }
        try
        {
            // A client whose own writes are all visible may read the committed state of keys others are writing.
            var position = node.Execute(spec, args, output, ref _database, committedView: _lastWrite == BinlogPosition.Zero || _lastWrite <= node.Committed);
            client.Database = _database;
            if ((spec.Flags & CommandFlags.Write) != 0)
                _lastWrite = BinlogPosition.Max(_lastWrite, position);
            return position;
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, e.RespError);
            return BinlogPosition.Zero;
        }
    }

    private BinlogPosition Queue(CommandSpec? spec, byte[][] args, PipeWriter output)
    {
        if (spec is null && IsNotAllowedInTransaction(args[0]))
        {
            // Redis's no-multi commands: refused, and the transaction with them (EXEC answers EXECABORT).
            _transactionFailed = true;
            RespWriter.Error(output, "ERR Command not allowed inside a transaction");
            return BinlogPosition.Zero;
        }
        if (spec is null)
        {
            if (IsServerCommand(args[0]))
            {
                // Redis queues these too (PING, ECHO, INFO...): they run at EXEC, after the data commands.
                _transaction!.Add((null, args));
                RespWriter.SimpleString(output, "QUEUED");
                return BinlogPosition.Zero;
            }
            _transactionFailed = true;
            RespWriter.Error(output, UnknownCommand(args));
            return BinlogPosition.Zero;
        }
        if (!spec.AcceptsArgumentCount(args.Length))
        {
            _transactionFailed = true;
            RespWriter.Error(output, WrongArity(spec.Name));
            return BinlogPosition.Zero;
        }
        _transaction!.Add((spec, args));
        RespWriter.SimpleString(output, "QUEUED");
        return BinlogPosition.Zero;
    }

    // Commands Redis flags no-multi (SAVE and SHUTDOWN; SYNC and PSYNC are replication's).
    private static bool IsNotAllowedInTransaction(byte[] name) =>
        IsName(name, "SAVE") || IsName(name, "SHUTDOWN") || IsName(name, "SYNC") || IsName(name, "PSYNC");

    private static bool IsTransactionControl(byte[] name) =>
        IsName(name, "EXEC") || IsName(name, "DISCARD") || IsName(name, "MULTI") || IsName(name, "QUIT") || IsName(name, "WATCH")
        || IsName(name, "RESET");

    internal static bool IsName(byte[] name, string expected) =>
        name.Length == expected.Length && Ascii.EqualsIgnoreCase(name, expected);

    internal static string WrongArity(string name) => $"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command";

    internal static string UnknownCommand(byte[][] args)
    {
        var text = new StringBuilder($"ERR unknown command '{Printable(args[0])}', with args beginning with: ");
        foreach (var arg in args.Skip(1).Take(16))
            text.Append('\'').Append(Printable(arg)).Append("' ");
        return text.ToString();
    }

    private static string Printable(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 128));
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
