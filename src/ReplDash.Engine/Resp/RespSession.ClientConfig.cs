using System.IO.Pipelines;
using System.Text;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Resp;

/// <summary>CLIENT LIST filters, CLIENT SETINFO, and CONFIG SET of Redis's encoding thresholds.</summary>
public sealed partial class RespSession
{
    /// <summary><c>CLIENT LIST [TYPE normal|pubsub|master|replica] [ID id ...]</c>: this node's clients, one line each.</summary>
    private void ClientList(byte[][] args, PipeWriter output)
    {
        var clients = NodeClients();
        if (args.Length == 4 && IsName(args[2], "TYPE"))
        {
            string type = Encoding.ASCII.GetString(args[3]).ToLowerInvariant();
            if (type is not ("normal" or "pubsub" or "master" or "slave" or "replica"))
            {
                RespWriter.Error(output, $"ERR Unknown client type '{Printable(args[3])}'");
                return;
            }
            clients = clients.Where(c => c.Type == type);
        }
        else if (args.Length >= 4 && IsName(args[2], "ID"))
        {
            var ids = new HashSet<long>();
            foreach (var arg in args.Skip(3))
            {
                if (!RespRequestParser.TryParseLong(arg, out long id) || id <= 0)
                {
                    RespWriter.Error(output, "ERR Invalid client ID");
                    return;
                }
                ids.Add(id);
            }
            clients = clients.Where(c => ids.Contains(c.Id));
        }
        else if (args.Length != 2)
        {
            RespWriter.Error(output, "ERR syntax error");
            return;
        }
        var now = node.Time.GetUtcNow();
        long ownQuery = EncodedSize(args);
        RespWriter.VerbatimText(output, string.Concat(clients.OrderBy(c => c.Id).Select(c => c.ToListLine(now, c.Id == client.Id ? ownQuery : 0) + "\n")));
    }

    /// <summary><c>CLIENT SETINFO lib-name|lib-ver value</c> (Redis 7.2's attributes, which clients send on connect).</summary>
    private void ClientSetInfo(byte[][] args, PipeWriter output)
    {
        string value = Encoding.UTF8.GetString(args[3]);
        if (value.Any(c => c < '!' || c > '~'))
        {
            RespWriter.Error(output, $"ERR {Printable(args[2])} cannot contain spaces, newlines or special characters.");
            return;
        }
        if (IsName(args[2], "LIB-NAME"))
            client.LibraryName = value;
        else if (IsName(args[2], "LIB-VER"))
            client.LibraryVersion = value;
        else
        {
            RespWriter.Error(output, $"ERR Unrecognized option '{Printable(args[2])}'");
            return;
        }
        RespWriter.Ok(output);
    }

    private static bool IsEncodingThresholdSet(byte[][] args)
    {
        for (int i = 2; i < args.Length; i += 2)
            if (!EncodingThresholds.IsKnown(Encoding.ASCII.GetString(args[i])))
                return false;
        return true;
    }

    /// <summary>CONFIG SET of encoding thresholds: all are checked first, then all are set (or none, as in Redis).</summary>
    private void ConfigSetEncodingThresholds(byte[][] args, PipeWriter output)
    {
        var values = new List<(string Name, long Value)>();
        for (int i = 2; i < args.Length; i += 2)
        {
            string name = Encoding.ASCII.GetString(args[i]);
            if (!EncodingThresholds.TryParse(name, Encoding.ASCII.GetString(args[i + 1]), out long value, out string error))
            {
                RespWriter.Error(output, $"ERR CONFIG SET failed (possibly related to argument '{name}') - {error}");
                return;
            }
            values.Add((name, value));
        }
        foreach (var (name, value) in values)
            node.EncodingThresholds.Set(name, value);
        RespWriter.Ok(output);
    }
}
