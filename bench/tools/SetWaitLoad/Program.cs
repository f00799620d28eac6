// Load generator for bench/semisync.sh: N clients, each sending SET (and, with --wait K, "WAIT K 0" right
// after it, so that every write is answered only once K replicas have it: Redis's closest equivalent of
// semi-sync) one write at a time, no pipelining across writes. Prints ops/s and latency percentiles of
// whole writes (SET + WAIT), measured here, in one line of key=value.
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--")).ToDictionary(p => p.a[2..], p => args[p.i + 1]);
int port = int.Parse(options["port"]);
int clients = int.Parse(options.GetValueOrDefault("clients", "1"));
int requests = int.Parse(options.GetValueOrDefault("requests", "20000"));
int wait = int.Parse(options.GetValueOrDefault("wait", "0"));
int keyRange = int.Parse(options.GetValueOrDefault("keys", "100000"));

var latencies = new long[clients][];
var start = Stopwatch.GetTimestamp();
// One thread per client with blocking I/O: the thread pool's slow growth would otherwise throttle 16 blocking
// clients on 2 cores and the tool, not the server, would set the pace.
var threads = Enumerable.Range(0, clients).Select(c => new Thread(() => RunClient(c, requests / clients))).ToList();
threads.ForEach(t => t.Start());
threads.ForEach(t => t.Join());
double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
var all = latencies.SelectMany(l => l).OrderBy(t => t).ToArray();
double Ms(double fraction) => all[Math.Clamp((int)Math.Ceiling(fraction * all.Length) - 1, 0, all.Length - 1)] * 1000.0 / Stopwatch.Frequency;
Console.WriteLine($"clients={clients} writes={all.Length} wait={wait} ops={all.Length / seconds:F0} p50_ms={Ms(0.50):F3} p99_ms={Ms(0.99):F3} max_ms={Ms(1.0):F3}");

void RunClient(int client, int count)
{
    using var tcp = new TcpClient { NoDelay = true };
    tcp.Connect("127.0.0.1", port);
    var stream = tcp.GetStream();
    var reader = new BufferedStream(stream, 4096);
    var mine = new long[count];
    var random = new Random(client);
    var waitCommand = Encoding.ASCII.GetBytes($"*3\r\n$4\r\nWAIT\r\n${wait.ToString().Length}\r\n{wait}\r\n$1\r\n0\r\n");
    for (int i = 0; i < count; i++)
    {
        var key = $"key:{random.Next(keyRange):D12}";
        var set = Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$16\r\nxxxxxxxxxxxxxxxx\r\n");
        long t0 = Stopwatch.GetTimestamp();
        stream.Write(wait > 0 ? [.. set, .. waitCommand] : set);
        ExpectLine(reader, '+');
        if (wait > 0 && ExpectLine(reader, ':') < wait)
            throw new InvalidOperationException($"WAIT {wait} answered fewer replicas: the write is not on {wait} replica(s)");
        mine[i] = Stopwatch.GetTimestamp() - t0;
    }
    latencies[client] = mine;
}

// Reads one reply line, checks its type, returns its integer value for ':' replies.
static long ExpectLine(Stream reader, char kind)
{
    var line = new StringBuilder();
    int b;
    while ((b = reader.ReadByte()) != '\n')
    {
        if (b < 0)
            throw new IOException("connection closed");
        if (b != '\r')
            line.Append((char)b);
    }
    if (line.Length == 0 || line[0] != kind)
        throw new InvalidOperationException($"unexpected reply '{line}'");
    return kind == ':' ? long.Parse(line.ToString(1, line.Length - 1)) : 0;
}
