using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Replication;
using ReplDash.Testing;

namespace ReplDash.Engine.Tests.Replication;

/// <summary>
/// A hand-driven slave: speaks the replication protocol over a raw TCP socket to a real master, one frame at a
/// time, so that a test can send what a real slave never would (a position inside an item, a forged ack...).
/// </summary>
internal sealed class FakeSlave : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly FrameChannel _channel;

    private FakeSlave(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = PipeReader.Create(_stream);
        _writer = PipeWriter.Create(_stream);
        _channel = new FrameChannel(_reader, _writer, TimeProvider.System);
    }

    /// <summary>The master's greeting of this connection (after <see cref="HandshakeAsync"/>).</summary>
    public Greeting? Greeting { get; private set; }

    public static async Task<FakeSlave> ConnectAsync(int replicationPort)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync("127.0.0.1", replicationPort, timeout.Token);
        return new FakeSlave(socket);
    }

    /// <summary>
    /// Connects, reads the greeting, answers it with a Hello proven with <paramref name="secret"/> and expects a Welcome.
    /// The master accepts only slave ids its configuration names: ClusterConfig's are s1 and s2.
    /// </summary>
    public static async Task<FakeSlave> ConnectAndWelcomeAsync(int replicationPort, string secret, string slaveId = "s1")
    {
        var slave = await ConnectAsync(replicationPort);
        var welcome = Assert.IsType<Welcome>(await slave.HandshakeAsync(secret, slaveId));
        Assert.Equal("m1", welcome.MasterId);
        return slave;
    }

    /// <summary>Receives the Greeting, sends a Hello whose proof is computed with <paramref name="secret"/>, returns the master's answer.</summary>
    /// <paramref name="clusterId"/>: the cluster the fake claims to hold data of; null claims the master's own (from its greeting).
    public async Task<ReplicationMessage> HandshakeAsync(string secret, string slaveId = "s1", string expectedMasterId = "m1", string? clusterId = null)
    {
        var greeting = await ReceiveAsync<Greeting>();
        Assert.Equal(ReplicationCodec.ProtocolVersion, greeting.Version);
        Assert.Equal(16, greeting.Nonce.Length);
        Greeting = greeting;
        await SendAsync(new Hello(ReplicationCodec.ProtocolVersion, slaveId, expectedMasterId, HandshakeProof.Compute(secret, greeting.Nonce),
            clusterId ?? greeting.ClusterId));
        return await ReceiveAsync();
    }

    public async Task SendAsync(ReplicationMessage message)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _channel.SendAsync(message, timeout.Token);
    }

    /// <summary>Receives the next frame, whatever it is.</summary>
    public async Task<ReplicationMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _channel.ReceiveAsync(cancel.Token);
    }

    /// <summary>Receives the next frame and asserts its type.</summary>
    public async Task<T> ReceiveAsync<T>() where T : ReplicationMessage => Assert.IsType<T>(await ReceiveAsync());

    /// <summary>The next frame that is not a heartbeat.</summary>
    public async Task<ReplicationMessage> ReceiveSkippingHeartbeatsAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException("only heartbeats arrived");
            var message = await ReceiveAsync(left);
            if (message is not Heartbeat)
                return message;
        }
    }

    /// <summary>Receives item batches until <paramref name="count"/> items arrived (heartbeats skipped); returns the batches.</summary>
    public async Task<List<ItemBatch>> ReceiveBatchesAsync(int count)
    {
        var batches = new List<ItemBatch>();
        int items = 0;
        while (items < count)
        {
            var batch = Assert.IsType<ItemBatch>(await ReceiveSkippingHeartbeatsAsync());
            batches.Add(batch);
            items += batch.Items.Count;
        }
        Assert.Equal(count, items);
        return batches;
    }

    /// <summary>Receives a whole snapshot: SnapshotBegin, chunks, SnapshotEnd.</summary>
    public async Task<(SnapshotBegin Begin, List<StoredEntry> Entries, SnapshotEnd End)> ReceiveSnapshotAsync()
    {
        var begin = await ReceiveAsync<SnapshotBegin>();
        var entries = new List<StoredEntry>();
        while (true)
        {
            switch (await ReceiveAsync())
            {
                case SnapshotChunk chunk:
                    entries.AddRange(chunk.Entries);
                    break;
                case SnapshotEnd end:
                    return (begin, entries, end);
                case var other:
                    Assert.Fail($"expected a snapshot chunk or its end, got {other}");
                    break;
            }
        }
    }

    /// <summary>
    /// Reads (and drops) frames until the master closes the link: true when it did within
    /// <paramref name="timeout"/>, false when the link was still open at the deadline.
    /// </summary>
    public async Task<bool> ClosedByMasterWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return false;
            try
            {
                await ReceiveAsync(left);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                return true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _writer.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

/// <summary>Reads what the tests need from INFO and from the dashboard's REST API.</summary>
internal static class ReplicationProbe
{
    /// <summary>Parses <c>binlog.000001:123</c>.</summary>
    public static BinlogPosition ParsePosition(string text)
    {
        int colon = text.LastIndexOf(':');
        Assert.True(colon > 0, $"not a position: '{text}'");
        Assert.True(BinlogFileNames.TryParseSegmentName(text[..colon], out long file), $"not a segment name: '{text}'");
        return new BinlogPosition(file, long.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Parses <c>m1:42</c>.</summary>
    public static TransactionId ParseTransactionId(string text)
    {
        int colon = text.LastIndexOf(':');
        Assert.True(colon > 0, $"not a transaction id: '{text}'");
        return new TransactionId(text[..colon], long.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>How many events match (GET /api/events totalCount).</summary>
    public static async Task<int> CountEventsAsync(Uri baseAddress, string kind, string? nodeId = null)
    {
        using var http = TestCredentials.Client(baseAddress);
        var query = nodeId is null ? $"api/events?kind={kind}&take=1" : $"api/events?kind={kind}&nodeId={nodeId}&take=1";
        var json = await http.GetFromJsonAsync<JsonElement>(query);
        return json.GetProperty("totalCount").GetInt32();
    }

    /// <summary>Polls until at least <paramref name="atLeast"/> events match, with a deadline.</summary>
    public static async Task WaitForEventCountAsync(Uri baseAddress, string kind, string? nodeId, int atLeast, TimeSpan timeout)
    {
        int count = 0;
        await Poll.UntilAsync(async () => (count = await CountEventsAsync(baseAddress, kind, nodeId)) >= atLeast,
            $"at least {atLeast} '{kind}' events for {nodeId ?? "any node"}", timeout, () => Task.FromResult($"{count} so far"));
    }

    /// <summary>Every stored event, as the API's JSON text (asserts that none was left off).</summary>
    public static async Task<string> AllEventsTextAsync(Uri baseAddress)
    {
        using var http = TestCredentials.Client(baseAddress);
        var text = await http.GetStringAsync("api/events?take=1000");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(json.RootElement.GetProperty("totalCount").GetInt32(), json.RootElement.GetProperty("events").GetArrayLength());
        return text;
    }
}
