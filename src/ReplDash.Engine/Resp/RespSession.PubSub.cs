using System.IO.Pipelines;
using System.Text;
using ReplDash.Engine.Core.PubSub;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.PubSub;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Pub/sub and MONITOR on the connection: (P)(UN)SUBSCRIBE, PUBLISH, PUBSUB, and writing messages that arrive for this
/// client between its own replies. Only the session's own loop writes to the connection; publishers put messages in
/// the client's <see cref="PushQueue"/>.
/// </summary>
public sealed partial class RespSession
{
    private PushQueue? _pushes;
    private bool _monitoring;

    private PushQueue Pushes => _pushes ??= new PushQueue(() => connection.Abort());

    /// <summary>Subscribed to at least one channel or pattern.</summary>
    private bool IsSubscribed => client.Channels + client.Patterns > 0;

    /// <summary>True when messages may arrive for this client while it sends nothing.</summary>
    private bool ReceivesPushes => IsSubscribed || _monitoring;

    /// <summary>
    /// Redis's rule for a RESP2 connection with subscriptions: only (P)(UN)SUBSCRIBE, PING, QUIT and RESET. A RESP3
    /// connection runs anything, its messages arriving as pushes.
    /// </summary>
    private bool RefusedWhileSubscribed(byte[][] args, string fullName)
    {
        if (_protocol != 2 || !IsSubscribed)
            return false;
        foreach (var allowed in (string[])["SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "PING", "QUIT", "RESET"])
            if (IsName(args[0], allowed))
                return false;
        RespWriter.Error(Reply, $"ERR Can't execute '{fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        return true;
    }

    private void Subscribe(byte[][] args, bool patterns)
    {
        var registry = node.PubSub.Subscriptions;
        var queue = Pushes;
        foreach (var name in args.Skip(1))
        {
            int count = patterns ? registry.PSubscribe(queue, name) : registry.Subscribe(queue, name);
            UpdateSubscriptionCounts();
            PubSubReplies.Confirmation(PushOutput, patterns ? "psubscribe" : "subscribe", name, count);
        }
    }

    private void Unsubscribe(byte[][] args, bool patterns)
    {
        var registry = node.PubSub.Subscriptions;
        var queue = Pushes;
        var names = args.Length > 1 ? args.Skip(1).ToList()
            : (patterns ? registry.PatternsOf(queue) : registry.ChannelsOf(queue)).ToList();
        string kind = patterns ? "punsubscribe" : "unsubscribe";
        if (names.Count == 0)
        {
            // Nothing to leave: Redis still confirms, with a null name and the count.
            PubSubReplies.Confirmation(PushOutput, kind, null, client.Channels + client.Patterns);
            return;
        }
        foreach (var name in names)
        {
            int count = patterns ? registry.PUnsubscribe(queue, name) : registry.Unsubscribe(queue, name);
            UpdateSubscriptionCounts();
            PubSubReplies.Confirmation(PushOutput, kind, name, count);
        }
    }

    private void UpdateSubscriptionCounts() => (client.Channels, client.Patterns) = node.PubSub.Subscriptions.CountsOf(Pushes);

    private void PubSubCommand(byte[][] args)
    {
        var registry = node.PubSub.Subscriptions;
        string sub = Encoding.ASCII.GetString(args[1]).ToUpperInvariant();
        switch (sub)
        {
            case "CHANNELS" when args.Length is 2 or 3:
                var channels = registry.ActiveChannels(args.Length == 3 ? args[2] : null);
                RespWriter.ArrayHeader(Reply, channels.Count);
                foreach (var channel in channels)
                    RespWriter.Bulk(Reply, channel);
                return;
            case "NUMSUB":
                // An array of channel, count pairs, in RESP3 too (Redis 7.0 replies with an array here).
                RespWriter.ArrayHeader(Reply, (args.Length - 2) * 2);
                foreach (var channel in args.Skip(2))
                {
                    RespWriter.Bulk(Reply, channel);
                    RespWriter.Integer(Reply, registry.SubscriberCount(channel));
                }
                return;
            case "NUMPAT" when args.Length == 2:
                RespWriter.Integer(Reply, registry.PatternCount);
                return;
            case "SHARDCHANNELS" when args.Length is 2 or 3:
                RespWriter.ArrayHeader(Reply, 0); // no sharded channels without cluster mode
                return;
            case "SHARDNUMSUB":
                RespWriter.ArrayHeader(Reply, (args.Length - 2) * 2);
                foreach (var channel in args.Skip(2))
                {
                    RespWriter.Bulk(Reply, channel);
                    RespWriter.Integer(Reply, 0);
                }
                return;
            default:
                RespWriter.Error(Reply, $"ERR unknown subcommand or wrong number of arguments for '{Printable(args[1])}'. Try PUBSUB HELP.");
                return;
        }
    }

    /// <summary>Leaves every channel, pattern and MONITOR (RESET, and when the connection ends).</summary>
    private void LeavePubSub()
    {
        if (_pushes is null)
            return;
        node.PubSub.Subscriptions.RemoveAll(_pushes);
        node.PubSub.RemoveMonitor(_pushes);
        _monitoring = client.Monitoring = false;
        client.Channels = client.Patterns = 0;
    }

    private void Monitor()
    {
        RespWriter.Ok(Reply);
        _monitoring = client.Monitoring = true;
        node.PubSub.AddMonitor(Pushes);
    }

    /// <summary>Writes waiting messages into the reply buffer; true when it wrote any.</summary>
    private bool WritePushes()
    {
        if (_pushes is null)
            return false;
        bool any = false;
        var output = PushOutput;
        while (_pushes.TryTake(out var message))
        {
            message.Write(output);
            any = true;
        }
        return any;
    }

    /// <summary>
    /// Reads the next input while writing out messages as they arrive (a subscribed or monitoring client). Returns the
    /// read once it completes; no read is left pending, so the plain path can take over when the subscriptions end.
    /// </summary>
    private async ValueTask<ReadResult> ReadWithPushesAsync(PipeReader input)
    {
        var read = input.ReadAsync().AsTask();
        while (true)
        {
            if (WritePushes())
                await connection.Transport.Output.FlushAsync();
            if (read.IsCompleted)
                return await read;
            var arrived = _pushes!.WaitAsync();
            if (await Task.WhenAny(read, arrived) == read)
                return await read;
        }
    }

    /// <summary>
    /// Sends a command to the node's monitors in Redis's MONITOR format: time, database and client address, then each
    /// argument quoted. AUTH and HELLO's credentials are redacted, as Redis does; admin commands are not shown.
    /// </summary>
    private void FeedMonitors(byte[][] args)
    {
        if (IsName(args[0], "CONFIG") || IsName(args[0], "DEBUG") || IsName(args[0], "MONITOR") || IsName(args[0], "CLUSTER")
            || (IsName(args[0], "CLIENT") && args.Length > 1 && (IsName(args[1], "KILL") || IsName(args[1], "LIST"))))
            return;
        var now = node.Time.GetUtcNow();
        long micros = (now.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        var line = new StringBuilder();
        line.Append(micros / 1_000_000).Append('.').Append((micros % 1_000_000).ToString("D6"));
        line.Append(" [").Append(_database).Append(' ').Append(client.Remote).Append(']');
        int redactUntil = 0;
        for (int i = 0; i < args.Length; i++)
        {
            line.Append(' ');
            if (i <= redactUntil && i > 0)
                line.Append("\"(redacted)\"");
            else
                MonitorQuote(line, args[i]);
            if (i == 0 && IsName(args[0], "AUTH"))
                redactUntil = args.Length;
            else if (i > 0 && i > redactUntil && IsName(args[0], "HELLO") && IsName(args[i], "AUTH"))
                redactUntil = i + 2; // the user and the password stay private
        }
        node.PubSub.FeedMonitors(line.ToString(), _pushes);
    }

    /// <summary>Redis's sdscatrepr: a double-quoted string with \n \r \t \a \b \\ \" and \xHH for other unprintables.</summary>
    private static void MonitorQuote(StringBuilder line, byte[] value)
    {
        line.Append('"');
        foreach (byte b in value)
        {
            switch (b)
            {
                case (byte)'\\': line.Append("\\\\"); break;
                case (byte)'"': line.Append("\\\""); break;
                case (byte)'\n': line.Append("\\n"); break;
                case (byte)'\r': line.Append("\\r"); break;
                case (byte)'\t': line.Append("\\t"); break;
                case 7: line.Append("\\a"); break;
                case 8: line.Append("\\b"); break;
                default:
                    if (b is >= 32 and < 127)
                        line.Append((char)b);
                    else
                        line.Append("\\x").Append(b.ToString("x2"));
                    break;
            }
        }
        line.Append('"');
    }
}
