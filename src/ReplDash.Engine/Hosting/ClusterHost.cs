using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Configuration;
using ReplDash.Engine.Node;
using ReplDash.Engine.Resp;

namespace ReplDash.Engine.Hosting;

/// <summary>
/// Owns every node this process hosts: starts them (recovery first) before Kestrel accepts connections,
/// stops them gracefully, finds a node by its RESP port, and answers the read model.
/// </summary>
public sealed class ClusterHost : IHostedService, IClusterStatus, IDisposable
{
    private readonly Dictionary<int, MasterNode> _byPort = new();
    private readonly ConcurrentDictionary<long, ClientInfo> _clients = new();
    private long _nextClientId;

    public ClusterHost(IOptions<ReplDashOptions> options, IHostEnvironment environment, IEngineEventSink events,
        ILoggerFactory loggers, TimeProvider time)
    {
        Options = options.Value;
        var dataRoot = Path.GetFullPath(Path.Combine(environment.ContentRootPath, Options.DataDir));
        var nodes = new List<MasterNode>();
        foreach (var node in Options.Nodes)
        {
            var settings = new NodeSettings(node.Id, Path.Combine(dataRoot, node.Id), Options.Durability.SyncBinlog,
                Options.Durability.BinlogSegmentBytes, Options.Durability.CheckpointIntervalMs,
                UnsafeAnswerBeforeBinlogWrite: Options.Faults.Enabled && Options.Faults.UnsafeAnswerBeforeBinlogWrite,
                BinlogWriteDelayMs: Options.Faults.Enabled ? Options.Faults.BinlogWriteDelayMs : 0);
            var master = new MasterNode(settings, events, loggers.CreateLogger($"ReplDash.Node.{node.Id}"), time);
            nodes.Add(master);
            _byPort[node.RespPort] = master;
            RespPorts[master.Id] = node.RespPort;
        }
        HostedNodes = nodes;
    }

    /// <summary>The effective configuration.</summary>
    public ReplDashOptions Options { get; }

    /// <summary>Hosted nodes in configuration order.</summary>
    public IReadOnlyList<MasterNode> HostedNodes { get; }

    /// <summary>RESP port of each node id.</summary>
    public Dictionary<string, int> RespPorts { get; } = new();

    /// <summary>The node listening on <paramref name="port"/>, if any.</summary>
    public MasterNode? FindByPort(int port) => _byPort.GetValueOrDefault(port);

    /// <summary>Registers a new client connection; null when the client limit is reached.</summary>
    public ClientInfo? TryAddClient(System.Net.EndPoint? remote, System.Net.EndPoint? local)
    {
        if (_clients.Count >= Options.Limits.MaxClients)
        {
            Interlocked.Increment(ref _rejectedConnections);
            return null;
        }
        var client = new ClientInfo(Interlocked.Increment(ref _nextClientId), remote, local);
        _clients[client.Id] = client;
        Interlocked.Increment(ref _totalConnections);
        return client;
    }

    public void RemoveClient(ClientInfo client) => _clients.TryRemove(client.Id, out _);

    /// <summary>Connected clients (all nodes).</summary>
    public IReadOnlyCollection<ClientInfo> Clients => (IReadOnlyCollection<ClientInfo>)_clients.Values;

    private long _totalConnections;
    private long _rejectedConnections;
    public long TotalConnections => Interlocked.Read(ref _totalConnections);
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var node in HostedNodes)
            node.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var node in HostedNodes)
            node.Stop();
        return Task.CompletedTask;
    }

    public IReadOnlyList<NodeStatus> Nodes()
    {
        var result = new List<NodeStatus>(HostedNodes.Count);
        foreach (var node in HostedNodes)
        {
            var (end, durable, logical, _) = node.Positions();
            long keys = node.State == NodeState.Running ? node.Inspect(k => k.Count) : 0;
            result.Add(new NodeStatus(node.Id, "master", node.State.ToString().ToLowerInvariant(), RespPorts[node.Id],
                end, durable, logical, keys, node.OpsPerSecond, node.LastError));
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var node in HostedNodes)
            node.Dispose();
    }
}
