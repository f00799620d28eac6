using System.Text;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Connection and server commands that real clients send on connect or for monitoring: HELLO, ROLE, TIME, RESET,
/// LASTSAVE, MONITOR, pub/sub, and clear answers for what this server does not do (CLUSTER, scripting).
/// </summary>
public sealed partial class RespSession
{
    /// <summary>Commands of this file, counted by COMMAND COUNT with the others.</summary>
    private static readonly string[] ConnectionCommandNames =
        ["HELLO", "ROLE", "TIME", "RESET", "LASTSAVE", "MONITOR", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE",
         "PUBLISH", "PUBSUB", "FUNCTION", "CLUSTER"];

    /// <summary>Scripting, which this server does not have: each gets an error that says so.</summary>
    private static readonly string[] ScriptingCommandNames =
        ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "SCRIPT", "FCALL", "FCALL_RO"];

    /// <summary>The reply to scripting commands.</summary>
    internal const string ScriptingNotSupported =
        "ERR scripting is not supported by ReplDash (EVAL, EVALSHA, SCRIPT, FCALL and FUNCTION other than FLUSH): run the commands from the client, in MULTI/EXEC where they must be atomic";

    /// <summary>Commands whose second argument is a subcommand: CLIENT LIST and INFO show them as <c>client|list</c>, as Redis 7 does.</summary>
    private static readonly string[] ContainerCommandNames =
        ["CLIENT", "CONFIG", "COMMAND", "PUBSUB", "FUNCTION", "SCRIPT", "CLUSTER", "DEBUG", "OBJECT", "MEMORY", "XINFO", "ACL", "LATENCY", "SLOWLOG", "MODULE"];

    /// <summary>The name CLIENT LIST's cmd= and INFO commandstats use: lowercase, with the subcommand of a container command.</summary>
    private static string FullCommandName(Core.Commands.CommandSpec? spec, byte[][] args)
    {
        string name = spec?.Name ?? Encoding.ASCII.GetString(args[0]).ToLowerInvariant();
        if (args.Length > 1)
            foreach (var container in ContainerCommandNames) // a loop, not LINQ: this runs for every command
                if (IsName(args[0], container))
                    return name + "|" + Encoding.ASCII.GetString(args[1]).ToLowerInvariant();
        return name;
    }

    /// <summary>The bytes of a command as a client sends it (an array of bulk strings): Redis's qbuf for the caller's own line.</summary>
    private static long EncodedSize(byte[][] args) =>
        3 + args.Length.ToString().Length + args.Sum(a => 5L + a.Length.ToString().Length + a.Length);

    private static bool IsConnectionCommand(byte[] name) =>
        ConnectionCommandNames.Any(n => IsName(name, n)) || ScriptingCommandNames.Any(n => IsName(name, n));

    /// <summary>Runs a command of this file; false when the name is not one of them (or its arity is wrong for it).</summary>
    private bool TryRunConnectionCommand(string name, byte[][] args)
    {
        switch (name)
        {
            case "HELLO":
                Hello(args);
                return true;
            case "ROLE" when args.Length == 1:
                Role();
                return true;
            case "TIME" when args.Length == 1:
                var now = node.Time.GetUtcNow();
                long micros = (now.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
                RespWriter.ArrayHeader(Reply, 2);
                RespWriter.BulkText(Reply, (micros / 1_000_000).ToString());
                RespWriter.BulkText(Reply, (micros % 1_000_000).ToString());
                return true;
            case "LASTSAVE" when args.Length == 1:
                RespWriter.Integer(Reply, node.LastSaveUnixSeconds);
                return true;
            case "RESET" when args.Length == 1:
                Reset();
                return true;
            case "MONITOR" when args.Length == 1:
                Monitor();
                return true;
            case "SUBSCRIBE" or "PSUBSCRIBE" when args.Length >= 2:
                Subscribe(args, patterns: name == "PSUBSCRIBE");
                return true;
            case "UNSUBSCRIBE" or "PUNSUBSCRIBE":
                Unsubscribe(args, patterns: name == "PUNSUBSCRIBE");
                return true;
            case "PUBLISH" when args.Length == 3:
                RespWriter.Integer(Reply, node.Publish(args[1], args[2]));
                return true;
            case "PUBSUB" when args.Length >= 2:
                PubSubCommand(args);
                return true;
            case "FUNCTION" when args.Length >= 2:
                // There are no functions, so flushing them succeeds (Redis's test harness flushes before each test).
                if (IsName(args[1], "FLUSH") && (args.Length == 2 || (args.Length == 3 && (IsName(args[2], "ASYNC") || IsName(args[2], "SYNC")))))
                    RespWriter.Ok(Reply);
                else if (IsName(args[1], "LIST") && args.Length == 2)
                    RespWriter.ArrayHeader(Reply, 0);
                else
                    RespWriter.Error(Reply, ScriptingNotSupported);
                return true;
            case "CLUSTER":
                RespWriter.Error(Reply, "ERR This instance has cluster support disabled");
                return true;
            case "EVAL" or "EVALSHA" or "EVAL_RO" or "EVALSHA_RO" or "SCRIPT" or "FCALL" or "FCALL_RO":
                RespWriter.Error(Reply, ScriptingNotSupported);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// ROLE in Redis's forms. A master: <c>["master", offset, [[ip, port, offset], ...]]</c>, with each slave's RESP port
    /// where this process hosts it and the logical offset it acknowledged. A slave: <c>["slave", masterIp, masterPort,
    /// state, offset]</c> with the offset it applied.
    /// </summary>
    private void Role()
    {
        var reply = Reply;
        var positions = node.Positions();
        if (node.Role == NodeRole.Master)
        {
            var links = node.SlaveLinks.OrderBy(l => l.LinkId).ToList();
            RespWriter.ArrayHeader(reply, 3);
            RespWriter.BulkText(reply, "master");
            RespWriter.Integer(reply, positions.EndLogical);
            RespWriter.ArrayHeader(reply, links.Count);
            foreach (var link in links)
            {
                var acked = link.AckedEnd;
                string ip = link.Address.Split(':')[0];
                string port = cluster.RespPorts.TryGetValue(link.SlaveId, out int resp) ? resp.ToString() : link.Address.Split(':').ElementAtOrDefault(1) ?? "0";
                RespWriter.ArrayHeader(reply, 3);
                RespWriter.BulkText(reply, ip);
                RespWriter.BulkText(reply, port);
                RespWriter.BulkText(reply, (acked == default ? 0 : node.LogicalOffsetOf(acked)).ToString());
            }
            return;
        }
        var link2 = node.Link;
        // The master's client port where this process hosts it (what Redis reports), else its replication port.
        int masterPort = link2?.MasterPort ?? 0;
        if (cluster.FindMasterByReplicationPort(masterPort) is { } master && cluster.RespPorts.TryGetValue(master.Id, out int masterResp))
            masterPort = masterResp;
        RespWriter.ArrayHeader(reply, 5);
        RespWriter.BulkText(reply, "slave");
        RespWriter.BulkText(reply, link2?.MasterHost ?? "");
        RespWriter.Integer(reply, masterPort);
        RespWriter.BulkText(reply, link2?.State switch
        {
            "streaming" => "connected",
            "full-resync" => "sync",
            "handshake" or "draining" or "sending-back" => "handshake",
            "connecting" => "connecting",
            _ => "connect",
        });
        RespWriter.Integer(reply, positions.AppliedLogical);
    }

    /// <summary>
    /// RESET, as Redis 7 does it: leaves MULTI (and unwatches), pub/sub and MONITOR, forgets the name, selects database 0,
    /// returns to RESP2 and, when a
    /// password is configured, to not authenticated. Replies <c>+RESET</c>.
    /// </summary>
    private void Reset()
    {
        _transaction = null;
        _transactionFailed = false;
        client.InTransaction = false;
        LeavePubSub();
        client.Name = "";
        _protocol = client.Protocol = 2;
        _authenticated = cluster.PasswordOf(node.Id) is null;
        _database = client.Database = 0;
        node.Unwatch(_watcher);
        RespWriter.SimpleString(Reply, "RESET");
    }

    /// <summary>
    /// CLIENT KILL in both forms. The old one (<c>CLIENT KILL addr:port</c>) answers OK or "No such client"; the new one
    /// (<c>ID id</c>, <c>ADDR addr:port</c>, <c>LADDR addr:port</c>, <c>TYPE</c>, <c>SKIPME yes|no</c>) answers how many
    /// clients it closed. Only this node's clients are candidates. A client that kills itself gets its reply first.
    /// </summary>
    private void ClientKill(byte[][] args)
    {
        var candidates = NodeClients().ToList();
        if (args.Length == 3)
        {
            string addr = Encoding.ASCII.GetString(args[2]);
            var target = candidates.FirstOrDefault(c => c.Remote?.ToString() == addr);
            if (target is null)
            {
                RespWriter.Error(Reply, "ERR No such client");
                return;
            }
            Kill(target);
            RespWriter.Ok(Reply);
            return;
        }
        if (args.Length % 2 != 0)
        {
            RespWriter.Error(Reply, "ERR syntax error");
            return;
        }
        bool skipMe = true;
        for (int i = 2; i < args.Length; i += 2)
        {
            string option = Encoding.ASCII.GetString(args[i]).ToUpperInvariant();
            string value = Encoding.UTF8.GetString(args[i + 1]);
            switch (option)
            {
                case "ID":
                    if (!long.TryParse(value, out long id) || id <= 0)
                    {
                        RespWriter.Error(Reply, "ERR client-id should be greater than 0");
                        return;
                    }
                    candidates.RemoveAll(c => c.Id != id);
                    break;
                case "ADDR":
                    candidates.RemoveAll(c => c.Remote?.ToString() != value);
                    break;
                case "LADDR":
                    candidates.RemoveAll(c => c.Local?.ToString() != value);
                    break;
                case "TYPE":
                    string type = value.ToLowerInvariant();
                    if (type is not ("normal" or "pubsub" or "master" or "slave" or "replica"))
                    {
                        RespWriter.Error(Reply, $"ERR Unknown client type '{value}'");
                        return;
                    }
                    candidates.RemoveAll(c => c.Type != type);
                    break;
                case "USER":
                    if (value != "default")
                    {
                        RespWriter.Error(Reply, $"ERR No such user '{value}'");
                        return;
                    }
                    break;
                case "SKIPME":
                    if (!value.Equals("yes", StringComparison.OrdinalIgnoreCase) && !value.Equals("no", StringComparison.OrdinalIgnoreCase))
                    {
                        RespWriter.Error(Reply, "ERR syntax error");
                        return;
                    }
                    skipMe = value.Equals("yes", StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    RespWriter.Error(Reply, "ERR syntax error");
                    return;
            }
        }
        if (skipMe)
            candidates.RemoveAll(c => c.Id == client.Id);
        foreach (var target in candidates)
            Kill(target);
        RespWriter.Integer(Reply, candidates.Count);
    }

    private void Kill(ClientInfo target)
    {
        if (target.Id == client.Id)
            _closeAfterFlush = true; // after this reply, as Redis closes the caller after answering
        else
            target.Kill?.Invoke();
    }

    /// <summary>The clients connected to this node (the process may host several).</summary>
    private IEnumerable<ClientInfo> NodeClients() =>
        cluster.Clients.Where(c => (c.Local as System.Net.IPEndPoint)?.Port == (client.Local as System.Net.IPEndPoint)?.Port);
}
