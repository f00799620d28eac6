using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Commands;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Core.SemiSync;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>Commands about the connection and the server rather than the data.</summary>
public sealed partial class RespSession
{
    private static readonly string[] ServerCommandNames =
        ["PING", "ECHO", "AUTH", "QUIT", "MULTI", "EXEC", "DISCARD", "INFO", "CONFIG", "COMMAND", "CLIENT", "DEBUG", "WAIT", "WATCH", "UNWATCH"];

    private static bool IsServerCommand(byte[] name) => ServerCommandNames.Any(n => IsName(name, n)) || IsConnectionCommand(name);

    private BinlogPosition RunServerCommand(byte[][] args, PipeWriter output)
    {
        string name = Encoding.ASCII.GetString(args[0]).ToUpperInvariant();
        switch (name)
        {
            case "PING" when args.Length <= 2:
                if (_protocol == 2 && IsSubscribed)
                {
                    // Redis's PING on a subscribed RESP2 connection: a two-element array, so it cannot look like a message.
                    RespWriter.ArrayHeader(output, 2);
                    RespWriter.BulkText(output, "pong");
                    RespWriter.Bulk(output, args.Length == 2 ? args[1] : []);
                }
                else if (args.Length == 1)
                    RespWriter.SimpleString(output, "PONG");
                else
                    RespWriter.Bulk(output, args[1]);
                return BinlogPosition.Zero;
            case "ECHO" when args.Length == 2:
                RespWriter.Bulk(output, args[1]);
                return BinlogPosition.Zero;
            case "AUTH" when args.Length is 2 or 3:
                Authenticate(args, output);
                return BinlogPosition.Zero;
            case "QUIT":
                RespWriter.Ok(output);
                _closeAfterFlush = true;
                return BinlogPosition.Zero;
            case "MULTI" when args.Length == 1:
                if (_transaction is not null)
                    RespWriter.Error(output, "ERR MULTI calls can not be nested");
                else
                {
                    _transaction = new();
                    _transactionFailed = false;
                    client.InTransaction = true;
                    RespWriter.Ok(output);
                }
                return BinlogPosition.Zero;
            case "EXEC" when args.Length == 1:
                return Exec(output);
            case "DISCARD" when args.Length == 1:
                if (_transaction is null)
                    RespWriter.Error(output, "ERR DISCARD without MULTI");
                else
                {
                    node.Unwatch(_watcher);
                    RespWriter.Ok(output);
                }
                _transaction = null;
                client.InTransaction = false;
                return BinlogPosition.Zero;
            case "WATCH" when args.Length >= 2:
                Watch(args, output);
                return BinlogPosition.Zero;
            case "UNWATCH" when args.Length == 1:
                node.Unwatch(_watcher);
                RespWriter.Ok(output);
                return BinlogPosition.Zero;
            case "INFO":
                return Info(args, output);
            case "CONFIG" when args.Length >= 2:
                ConfigCommand(args, output);
                return BinlogPosition.Zero;
            case "COMMAND":
                CommandCommand(args, output);
                return BinlogPosition.Zero;
            case "CLIENT" when args.Length >= 2:
                ClientCommand(args, output);
                return BinlogPosition.Zero;
            case "DEBUG" when args.Length >= 2:
                return Debug(args, output);
            default:
                if (!TryRunConnectionCommand(name, args))
                    RespWriter.Error(output, IsServerCommand(args[0]) ? WrongArity(name) : UnknownCommand(args));
                return BinlogPosition.Zero;
        }
    }

    // What a client may send before AUTH (PING to check the link, HELLO that may carry AUTH, QUIT).
    private static bool AllowedBeforeAuth(byte[] name) =>
        IsName(name, "AUTH") || IsName(name, "HELLO") || IsName(name, "PING") || IsName(name, "QUIT");

    /// <summary><c>AUTH password</c> or <c>AUTH default password</c> (what Redis 6+ clients send): there is one user.</summary>
    private void Authenticate(byte[][] args, PipeWriter output)
    {
        var expected = cluster.PasswordOf(node.Id);
        if (expected is null)
        {
            RespWriter.Error(output, args.Length == 2
                ? "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
                : "WRONGPASS invalid username-password pair or user is disabled.");
            return;
        }
        // Constant-time comparison: the time taken must not reveal how much of the password matched.
        bool userKnown = args.Length == 2 || IsName(args[1], "default");
        _authenticated = CryptographicOperations.FixedTimeEquals(args[^1], Encoding.UTF8.GetBytes(expected)) && userKnown;
        if (_authenticated)
        {
            RespWriter.Ok(output);
            return;
        }
        cluster.CountAuthFailure();
        cluster.AuthLogger.LogWarning("AUTH failed on node {Node} for client {Address} (failure {Count} since start)",
            node.Id, client.Remote?.ToString() ?? "?", cluster.AuthFailures);
        RespWriter.Error(output, "WRONGPASS invalid username-password pair or user is disabled.");
    }

    private BinlogPosition Debug(byte[][] args, PipeWriter output)
    {
        if (IsLocalChange(args[1]))
        {
            DebugLocalChange(args, output);
            return BinlogPosition.Zero;
        }
        if (!IsName(args[1], "DIGEST"))
        {
            RespWriter.Error(output, "ERR DEBUG subcommand not supported here (only DIGEST, SET-LOCAL, DEL-LOCAL, PEXPIREAT-LOCAL)");
            return BinlogPosition.Zero;
        }
        try
        {
            var (digest, dependency) = node.ReadWholeDataset(k => k.DigestHex());
            RespWriter.SimpleString(output, digest);
            return dependency;
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, e.RespError);
            return BinlogPosition.Zero;
        }
    }

    private void ClientCommand(byte[][] args, PipeWriter output)
    {
        string sub = Encoding.ASCII.GetString(args[1]).ToUpperInvariant();
        switch (sub)
        {
            case "SETNAME" when args.Length == 3:
                var name = Encoding.UTF8.GetString(args[2]);
                if (!IsValidClientName(name))
                    RespWriter.Error(output, "ERR Client names cannot contain spaces, newlines or special characters.");
                else
                {
                    client.Name = name;
                    RespWriter.Ok(output);
                }
                break;
            case "GETNAME" when args.Length == 2:
                if (client.Name.Length == 0)
                    RespWriter.NullBulk(output);
                else
                    RespWriter.BulkText(output, client.Name);
                break;
            case "ID" when args.Length == 2:
                RespWriter.Integer(output, client.Id);
                break;
            case "LIST":
                ClientList(args, output);
                break;
            case "INFO" when args.Length == 2:
                RespWriter.VerbatimText(output, client.ToListLine(node.Time.GetUtcNow(), EncodedSize(args)) + "\n");
                break;
            case "UNBLOCK" when args.Length is 3 or 4:
                ClientUnblock(args, output);
                break;
            case "SETINFO" when args.Length == 4:
                ClientSetInfo(args, output);
                break;
            case "KILL" when args.Length >= 3:
                ClientKill(args);
                break;
            case "REPLY" when args.Length == 3:
                ClientReply(args[2]);
                break;
            case "NO-EVICT" when args.Length == 3 && (IsName(args[2], "ON") || IsName(args[2], "OFF")):
                client.NoEvict = IsName(args[2], "ON"); // accepted and shown in CLIENT LIST; nothing is evicted here
                RespWriter.Ok(output);
                break;
            case "KILL" or "SETINFO" or "NO-EVICT" or "REPLY" or "ID" or "INFO" or "GETNAME" or "SETNAME":
                RespWriter.Error(output, $"ERR wrong number of arguments for 'client|{sub.ToLowerInvariant()}' command");
                break;
            default:
                RespWriter.Error(output, $"ERR unknown subcommand or wrong number of arguments for '{sub}'. Try CLIENT HELP.");
                break;
        }
    }

    private void ConfigCommand(byte[][] args, PipeWriter output)
    {
        string sub = Encoding.ASCII.GetString(args[1]).ToUpperInvariant();
        if (sub == "RESETSTAT" && args.Length == 2)
        {
            node.ResetStats();
            RespWriter.Ok(output);
            return;
        }
        if (sub == "SET" && args.Length == 4 && IsName(args[2], "save"))
        {
            // There are no RDB snapshots here (the binlog and the SQLite checkpoints keep the data), which is what
            // `save ""` asks for; Redis's test harness sets it so in external mode, and restores the value it read.
            if (args[3].Length == 0)
                RespWriter.Ok(output);
            else
                RespWriter.Error(output, "ERR CONFIG SET failed (possibly related to argument 'save') - ReplDash keeps data in its "
                                         + "binlog and SQLite checkpoints and takes no RDB snapshots: only save \"\" is accepted");
            return;
        }
        if (sub == "SET" && args.Length >= 4 && args.Length % 2 == 0 && IsEncodingThresholdSet(args))
        {
            ConfigSetEncodingThresholds(args, output);
            return;
        }
        if (sub == "SET" && args.Length >= 4 && args.Length % 2 == 0 && IsSemiSyncSet(args))
        {
            ConfigSetSemiSync(args, output);
            return;
        }
        if (sub == "SET")
        {
            // Redis's text for a setting it refuses ("CONFIG SET failed ..."), which clients and Redis's tests match on.
            RespWriter.Error(output, args.Length >= 4 && args.Length % 2 == 0
                ? $"ERR CONFIG SET failed (possibly related to argument '{Printable(args[2])}') - not settable at run time here; "
                  + "change appsettings.json or environment variables"
                : "ERR wrong number of arguments for 'config|set' command");
            return;
        }
        if (sub != "GET" || args.Length < 3)
        {
            RespWriter.Error(output, $"ERR unknown subcommand or wrong number of arguments for '{sub}'. Try CONFIG HELP.");
            return;
        }
        var values = ConfigValues();
        var matches = new List<KeyValuePair<string, string>>();
        foreach (var pattern in args.Skip(2))
            matches.AddRange(values.Where(kv => GlobPattern.IsMatch(pattern, Encoding.ASCII.GetBytes(kv.Key)) && !matches.Contains(kv)));
        RespWriter.MapHeader(output, matches.Count);
        foreach (var (key, value) in matches)
        {
            RespWriter.BulkText(output, key);
            RespWriter.BulkText(output, value);
        }
    }

    /// <summary>The parameters CONFIG GET knows, in Redis's names. requirepass is never shown.</summary>
    private Dictionary<string, string> ConfigValues()
    {
        var options = cluster.Options;
        var values = new Dictionary<string, string>
        {
            ["save"] = "",
            ["appendonly"] = "yes",
            ["appendfsync"] = options.Durability.SyncBinlog switch { 0 => "no", 1 => "always", _ => "everysec" },
            ["databases"] = options.Databases.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["maxclients"] = options.Limits.MaxClients.ToString(),
            ["proto-max-bulk-len"] = options.Limits.MaxBulkBytes.ToString(),
            ["bind"] = options.BindAddress,
            ["port"] = cluster.RespPorts[node.Id].ToString(),
            ["repldash-sync-binlog"] = options.Durability.SyncBinlog.ToString(),
            ["repldash-binlog-segment-bytes"] = options.Durability.BinlogSegmentBytes.ToString(),
        };
        if (node.Role == NodeRole.Master)
            foreach (var (name, value) in SemiSyncSettingNames.Values(node.SemiSyncConfig))
                values[name] = value;
        foreach (var (name, value) in node.EncodingThresholds.All())
            values[name] = value;
        return values;
    }

    private static void CommandCommand(byte[][] args, PipeWriter output)
    {
        string sub = args.Length > 1 ? Encoding.ASCII.GetString(args[1]).ToUpperInvariant() : "";
        switch (sub)
        {
            case "COUNT":
                RespWriter.Integer(output, CommandTable.All.Count + ServerCommandNames.Length + ConnectionCommandNames.Length);
                return;
            case "DOCS":
                RespWriter.MapHeader(output, 0); // redis-cli asks for hints; none is a valid answer (a map in RESP3)
                return;
            case "INFO":
                RespWriter.ArrayHeader(output, args.Length - 2);
                foreach (var name in args.Skip(2))
                {
                    var spec = CommandTable.Find(name);
                    if (spec is null)
                        RespWriter.NullArray(output);
                    else
                        WriteCommandInfo(output, spec);
                }
                return;
            case "":
                RespWriter.ArrayHeader(output, CommandTable.All.Count);
                foreach (var spec in CommandTable.All)
                    WriteCommandInfo(output, spec);
                return;
            default:
                RespWriter.Error(output, $"ERR unknown subcommand '{sub}'. Try COMMAND HELP.");
                return;
        }
    }

    private static void WriteCommandInfo(PipeWriter output, CommandSpec spec)
    {
        RespWriter.ArrayHeader(output, 10);
        RespWriter.BulkText(output, spec.Name.ToLowerInvariant());
        RespWriter.Integer(output, spec.Arity);
        var flags = new List<string>();
        if ((spec.Flags & CommandFlags.Write) != 0)
            flags.Add("write");
        if ((spec.Flags & CommandFlags.ReadOnly) != 0)
            flags.Add("readonly");
        if ((spec.Flags & CommandFlags.Blocking) != 0)
            flags.Add("blocking");
        if (spec.MovableKeys is not null)
            flags.Add("movablekeys");
        RespWriter.SetHeader(output, flags.Count); // a set in RESP3, as Redis writes it
        foreach (var flag in flags)
            RespWriter.SimpleString(output, flag);
        RespWriter.Integer(output, spec.FirstKey);
        RespWriter.Integer(output, spec.LastKey);
        RespWriter.Integer(output, spec.KeyStep);
        for (int i = 0; i < 4; i++)
            RespWriter.ArrayHeader(output, 0); // ACL categories, tips, key specs, subcommands
    }
}
