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
/// connects the slaves to their masters once it does, stops them gracefully, finds a node by its ports, and
/// answers the read model.
/// </summary>
public sealed class ClusterHost : IHostedLifecycleService, IClusterStatus, IDisposable
{
    private readonly Dictionary<int, DataNode> _byRespPort = new();
    private readonly Dictionary<int, DataNode> _byReplicationPort = new();
    private readonly ConcurrentDictionary<long, ClientInfo> _clients = new();
    private readonly TimeProvider _time;
    private long _nextClientId;
    private long _totalConnections;
    private long _rejectedConnections;

    public ClusterHost(IOptions<ReplDashOptions> options, IHostEnvironment environment, IEngineEventSink events,
        ILoggerFactory loggers, TimeProvider time)
    {
        Options = options.Value;
        _time = time;
        AuthLogger = loggers.CreateLogger("ReplDash.Resp.Auth");
        var dataRoot = Path.GetFullPath(Path.Combine(environment.ContentRootPath, Options.DataDir));
        var nodes = new List<DataNode>();
        foreach (var node in HostedNodeOptions(Options))
        {
            var settings = NodeSettingsFactory.Create(Options, node, dataRoot);
            var data = new DataNode(settings, events, loggers.CreateLogger($"ReplDash.Node.{node.Id}"), time,
                new FaultInjector(Options.Faults.Enabled));
            nodes.Add(data);
            _byRespPort[node.RespPort] = data;
            if (settings.Role == NodeRole.Master && node.ReplicationPort != 0)
                _byReplicationPort[node.ReplicationPort] = data;
            RespPorts[data.Id] = node.RespPort;
        }
        HostedNodes = nodes;
    }

    /// <summary>The nodes of the configuration that this process hosts (all, or those named by ReplDash:Node).</summary>
    public static IEnumerable<NodeOptions> HostedNodeOptions(ReplDashOptions options)
    {
        var hosted = ReplDashOptionsValidator.HostedIds(options);
        return options.Nodes.Where(n => hosted is null || hosted.Contains(n.Id));
    }

    /// <summary>The effective configuration.</summary>
    public ReplDashOptions Options { get; }

    /// <summary>Hosted nodes in configuration order.</summary>
    public IReadOnlyList<DataNode> HostedNodes { get; }

    /// <summary>RESP port of each node id.</summary>
    public Dictionary<string, int> RespPorts { get; } = new();

    /// <summary>The RESP password of node <paramref name="nodeId"/>: its own, else ReplDash:RequirePass, else null (none).</summary>
    public string? PasswordOf(string nodeId) =>
        NullIfEmpty(Options.Nodes.FirstOrDefault(n => n.Id == nodeId)?.Password) ?? NullIfEmpty(Options.RequirePass);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private long _authFailures;

    /// <summary>Where failed AUTH attempts are logged (the address and node, never the password tried).</summary>
    public ILogger AuthLogger { get; }

    /// <summary>Failed AUTH attempts on every node since start (INFO stats acl_access_denied_auth).</summary>
    public long AuthFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Counts a failed AUTH (the caller logs it, without the password).</summary>
    public void CountAuthFailure() => Interlocked.Increment(ref _authFailures);

    /// <summary>The node listening on RESP <paramref name="port"/>, if any.</summary>
    public DataNode? FindByPort(int port) => _byRespPort.GetValueOrDefault(port);

    /// <summary>The master whose replication listener is <paramref name="port"/>, if any.</summary>
    public DataNode? FindMasterByReplicationPort(int port) => _byReplicationPort.GetValueOrDefault(port);

    /// <summary>A hosted node by id.</summary>
    public DataNode? FindById(string id) => HostedNodes.FirstOrDefault(n => n.Id == id);

    /// <summary>Registers a new client connection; null when the client limit is reached.</summary>
    public ClientInfo? TryAddClient(System.Net.EndPoint? remote, System.Net.EndPoint? local)
    {
        if (_clients.Count >= Options.Limits.MaxClients)
        {
            Interlocked.Increment(ref _rejectedConnections);
            return null;
        }
        var client = new ClientInfo(Interlocked.Increment(ref _nextClientId), remote, local, _time.GetUtcNow());
        _clients[client.Id] = client;
        Interlocked.Increment(ref _totalConnections);
        return client;
    }

    public void RemoveClient(ClientInfo client) => _clients.TryRemove(client.Id, out _);

    /// <summary>Connected clients (all nodes).</summary>
    public IReadOnlyCollection<ClientInfo> Clients => (IReadOnlyCollection<ClientInfo>)_clients.Values;

    public long TotalConnections => Interlocked.Read(ref _totalConnections);
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Recovery runs before Kestrel listens (no client sees a node half recovered). The slaves' links wait for
        // StartedAsync: an embedded master's replication port is a Kestrel listener too, and a slave dialling it
        // now would only log "Connection refused" and back off.
        foreach (var node in HostedNodes.OrderBy(n => n.Role == NodeRole.Master ? 0 : 1))
            node.Start(deferLink: true);
        return Task.CompletedTask;
    }

    /// <summary>Called once every hosted service, Kestrel included, has started: the slaves connect now.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var node in HostedNodes)
            node.StartLink();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var node in HostedNodes.OrderBy(n => n.Role == NodeRole.Slave ? 0 : 1))
            node.Stop();
        return Task.CompletedTask;
    }

    public IReadOnlyList<NodeStatus> Nodes() => HostedNodes.Select(n => NodeStatusBuilder.Build(n, this, _time.GetUtcNow())).ToList();

    public void Dispose()
    {
        foreach (var node in HostedNodes)
            node.Dispose();
    }
}
