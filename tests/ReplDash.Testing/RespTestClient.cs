using System.Net.Sockets;
using System.Text;

namespace ReplDash.Testing;

/// <summary>An error reply (<c>-ERR ...</c>).</summary>
public sealed record RespError(string Message);

/// <summary>RESP3's map (<c>%</c>): the pairs in the order the server wrote them.</summary>
public sealed record RespMap(IReadOnlyList<KeyValuePair<object?, object?>> Pairs)
{
    /// <summary>The value of a text key, or null.</summary>
    public object? this[string key] => Pairs.FirstOrDefault(p => RespTestClient.Text(p.Key) == key).Value;
}

/// <summary>RESP3's set (<c>~</c>).</summary>
public sealed record RespSet(object?[] Items);

/// <summary>RESP3's push (<c>&gt;</c>): pub/sub messages and confirmations out of band.</summary>
public sealed record RespPush(object?[] Items);

/// <summary>RESP3's double (<c>,</c>), with the text as sent.</summary>
public sealed record RespDouble(string Text);

/// <summary>RESP3's null (<c>_</c>), kept apart from RESP2's null bulk (C# null) so a test sees which was sent.</summary>
public sealed record Resp3Null
{
    public static Resp3Null Instance { get; } = new();
}

/// <summary>
/// A deliberately small, independent RESP client for tests: sends commands as arrays of bulk strings and
/// parses replies into string (simple), long, byte[] (bulk), null, object?[] (array) or RespError, and RESP3's
/// RespMap, RespSet, RespPush, RespDouble, Resp3Null, string (verbatim, without its format) and bool.
/// </summary>
public sealed class RespTestClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly BufferedStream _reader;

    private RespTestClient(TcpClient tcp, Stream? stream = null)
    {
        _tcp = tcp;
        _stream = stream ?? tcp.GetStream();
        _reader = new BufferedStream(_stream);
    }

    /// <summary>
    /// Connects with TLS (a node with ReplDash:Tls:Resp). <paramref name="validate"/> decides whether the server's
    /// certificate is accepted; null accepts any (for readiness probes, never for the assertion under test).
    /// </summary>
    public static async Task<RespTestClient> ConnectTlsAsync(int port, System.Net.Security.RemoteCertificateValidationCallback? validate = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        tcp.ReceiveTimeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds;
        var tls = new System.Net.Security.SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, validate ?? ((_, _, _, _) => true));
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        return new RespTestClient(tcp, tls);
    }

    public static async Task<RespTestClient> ConnectAsync(int port, TimeSpan? timeout = null, string host = "127.0.0.1")
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port);
        tcp.ReceiveTimeout = (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds;
        return new RespTestClient(tcp);
    }

    /// <summary>Sends one command and reads its reply.</summary>
    public async Task<object?> CallAsync(params string[] args)
    {
        await SendAsync(args);
        return ReadReply();
    }

    /// <summary>Sends one command without reading (for pipelining).</summary>
    public async Task SendAsync(params string[] args)
    {
        var text = new StringBuilder($"*{args.Length}\r\n");
        foreach (var arg in args)
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        await SendRawAsync(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Sends bytes as they are (for malformed input tests).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one reply.</summary>
    public object? ReadReply()
    {
        string line = ReadLine();
        char kind = line[0];
        string rest = line[1..];
        switch (kind)
        {
            case '+':
                return rest;
            case '-':
                return new RespError(rest);
            case ':':
                return long.Parse(rest);
            case '$':
                int length = int.Parse(rest);
                if (length < 0)
                    return null;
                var data = new byte[length + 2];
                _reader.ReadExactly(data);
                return data[..length];
            case '*':
                int count = int.Parse(rest);
                if (count < 0)
                    return null;
                var items = new object?[count];
                for (int i = 0; i < count; i++)
                    items[i] = ReadReply();
                return items;
            case '%':
                var pairs = new List<KeyValuePair<object?, object?>>();
                for (int i = int.Parse(rest); i > 0; i--)
                    pairs.Add(new(ReadReply(), ReadReply()));
                return new RespMap(pairs);
            case '~':
                return new RespSet(ReadItems(int.Parse(rest)));
            case '>':
                return new RespPush(ReadItems(int.Parse(rest)));
            case ',':
                return new RespDouble(rest);
            case '_':
                return Resp3Null.Instance;
            case '#':
                return rest == "t";
            case '=':
                var verbatim = new byte[int.Parse(rest) + 2];
                _reader.ReadExactly(verbatim);
                return Encoding.UTF8.GetString(verbatim, 4, verbatim.Length - 6); // after "txt:", before CRLF
            default:
                throw new InvalidDataException($"Unexpected reply line: {line}");
        }
    }

    private object?[] ReadItems(int count)
    {
        var items = new object?[count];
        for (int i = 0; i < count; i++)
            items[i] = ReadReply();
        return items;
    }

    /// <summary>True when the server closed the connection (reads return end of stream).</summary>
    public bool IsClosedByServer()
    {
        try
        {
            return _reader.ReadByte() < 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = _reader.ReadByte();
            if (b < 0)
                throw new EndOfStreamException("Connection closed by server");
            if (b == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            bytes.Add((byte)b);
        }
    }

    /// <summary>A bulk reply as text.</summary>
    public static string? Text(object? reply) => reply switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string s => s,
        long n => n.ToString(),
        RespError e => "ERROR: " + e.Message,
        _ => reply.ToString(),
    };

    public void Dispose()
    {
        _reader.Dispose();
        _tcp.Dispose();
    }
}
