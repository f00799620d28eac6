using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>HELLO and the connection's RESP version (2 or 3).</summary>
public sealed partial class RespSession
{
    private int _protocol = 2;
    private Resp3PipeWriter? _resp3Output;

    private static readonly DiscardingPipeWriter NoReplies = new();

    // CLIENT REPLY OFF, and CLIENT REPLY SKIP for the command after it.
    private bool _repliesOff;
    private bool _skipNextReply;
    private bool _skippingThisReply;

    /// <summary>
    /// Where replies go: the connection's pipe, marked as RESP3 after HELLO 3 (RespWriter writes the forms that fit), or
    /// nowhere while CLIENT REPLY turned them off.
    /// </summary>
    private PipeWriter Reply => _repliesOff || _skippingThisReply ? NoReplies : PushOutput;

    /// <summary>The connection's pipe in its protocol, also while replies are off: pub/sub messages and confirmations always go out, as in Redis.</summary>
    private PipeWriter PushOutput => _protocol == 3 ? _resp3Output ??= new Resp3PipeWriter(connection.Transport.Output) : connection.Transport.Output;

    /// <summary>CLIENT REPLY ON|OFF|SKIP: ON answers OK; OFF and SKIP answer nothing.</summary>
    private void ClientReply(byte[] mode)
    {
        if (IsName(mode, "ON"))
        {
            _repliesOff = _skipNextReply = _skippingThisReply = false;
            RespWriter.Ok(Reply);
        }
        else if (IsName(mode, "OFF"))
            _repliesOff = true;
        else if (IsName(mode, "SKIP"))
            _skipNextReply = !_repliesOff;
        else
            RespWriter.Error(Reply, "ERR syntax error");
    }

    /// <summary>
    /// <c>HELLO [protover [AUTH username password] [SETNAME name]]</c>, with Redis 7's checks and error texts. The reply
    /// (a map) is written in the version just chosen.
    /// </summary>
    private void Hello(byte[][] args)
    {
        int version = 0;
        int next = 1;
        if (args.Length >= 2)
        {
            if (!RespRequestParser.TryParseLong(args[1], out long asked))
            {
                RespWriter.Error(Reply, "ERR Protocol version is not an integer or out of range");
                return;
            }
            if (asked is < 2 or > 3)
            {
                RespWriter.Error(Reply, "NOPROTO unsupported protocol version");
                return;
            }
            version = (int)asked;
            next = 2;
        }
        string? newName = null;
        bool authenticatedNow = false;
        for (int i = next; i < args.Length; i++)
        {
            int more = args.Length - 1 - i;
            if (IsName(args[i], "AUTH") && more >= 2)
            {
                if (!CheckUserPassword(args[i + 1], args[i + 2]))
                {
                    cluster.CountAuthFailure();
                    cluster.AuthLogger.LogWarning("HELLO AUTH failed on node {Node} for client {Address} (failure {Count} since start)",
                        node.Id, client.Remote?.ToString() ?? "?", cluster.AuthFailures);
                    RespWriter.Error(Reply, "WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                authenticatedNow = true;
                i += 2;
            }
            else if (IsName(args[i], "SETNAME") && more >= 1)
            {
                string name = Encoding.UTF8.GetString(args[i + 1]);
                if (!IsValidClientName(name))
                {
                    RespWriter.Error(Reply, "ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                newName = name;
                i++;
            }
            else
            {
                RespWriter.Error(Reply, $"ERR Syntax error in HELLO option '{Printable(args[i])}'");
                return;
            }
        }
        if (authenticatedNow)
            _authenticated = true;
        if (newName is not null)
            client.Name = newName;
        if (!_authenticated)
        {
            RespWriter.Error(Reply, "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }
        if (version != 0)
            _protocol = client.Protocol = version;
        var reply = Reply;
        RespWriter.MapHeader(reply, 7);
        RespWriter.BulkText(reply, "server");
        RespWriter.BulkText(reply, "redis");
        RespWriter.BulkText(reply, "version");
        RespWriter.BulkText(reply, RedisVersion);
        RespWriter.BulkText(reply, "proto");
        RespWriter.Integer(reply, _protocol);
        RespWriter.BulkText(reply, "id");
        RespWriter.Integer(reply, client.Id);
        RespWriter.BulkText(reply, "mode");
        RespWriter.BulkText(reply, "standalone");
        RespWriter.BulkText(reply, "role");
        RespWriter.BulkText(reply, node.Role == NodeRole.Master ? "master" : "replica");
        RespWriter.BulkText(reply, "modules");
        RespWriter.ArrayHeader(reply, 0);
    }

    /// <summary>
    /// The user and password of HELLO AUTH (and AUTH user pass): the only user is "default". Without a configured password
    /// the default user has none ("nopass" in Redis's ACL), so any password is accepted, as Redis accepts it.
    /// </summary>
    private bool CheckUserPassword(byte[] user, byte[] password)
    {
        if (!IsName(user, "default"))
            return false;
        var expected = cluster.PasswordOf(node.Id);
        // Constant-time comparison: the time taken must not reveal how much of the password matched.
        return expected is null || CryptographicOperations.FixedTimeEquals(password, Encoding.UTF8.GetBytes(expected));
    }

    private static bool IsValidClientName(string name) => !name.Any(c => c <= ' ' || c > '~');

    /// <summary>The version INFO and HELLO report: the Redis release whose commands and replies this server follows.</summary>
    private const string RedisVersion = "7.0.0";
}
