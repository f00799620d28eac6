using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace ReplDash.Web.Hosting;

/// <summary>
/// Kestrel's socket transport for every listener, with the nodes' RESP ports run inline: a RESP session's code runs
/// on the thread that completed its socket read, and its replies are sent on the thread that flushes them, instead
/// of hopping to the thread pool for each (Kestrel's <c>UnsafePreferInlineScheduling</c>, for these ports only).
/// </summary>
/// <remarks>
/// Why: a durable SET used to cross four threads (socket, pool worker, binlog flusher, pool worker, send queue).
/// Inline, a client's command runs where its bytes arrived, and the binlog flusher, after its fsync, sends the
/// replies of the whole group itself, as Redis's event loop does (docs/ARCHITECTURE.md, workflow 1;
/// docs/BENCHMARKS.md, "Fewer thread hops for a durable SET"). This is safe because a RESP session never blocks:
/// commands run in memory under the node lock, which no one holds during I/O, and every wait is asynchronous.
/// The HTTP port and the replication ports keep the default scheduling. <c>REPLDASH_RESP_INLINE=0</c> turns it off.
/// </remarks>
public sealed class RespTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly HashSet<int> _inlinePorts;
    private readonly SocketTransportFactory _default;
    private readonly SocketTransportFactory _inline;

    /// <param name="respPorts">The ports whose connections run inline.</param>
    /// <param name="options">The application's socket options (used as they are for other ports).</param>
    /// <param name="loggerFactory">Kestrel's loggers.</param>
    public RespTransportFactory(IEnumerable<int> respPorts, IOptions<SocketTransportOptions> options, ILoggerFactory loggerFactory)
    {
        _inlinePorts = [.. respPorts];
        _default = new SocketTransportFactory(options, loggerFactory);
        var o = options.Value;
        _inline = new SocketTransportFactory(Options.Create(new SocketTransportOptions
        {
            UnsafePreferInlineScheduling = true,
            IOQueueCount = o.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = o.WaitForDataBeforeAllocatingBuffer,
            NoDelay = o.NoDelay,
            Backlog = o.Backlog,
            MaxReadBufferSize = o.MaxReadBufferSize,
            MaxWriteBufferSize = o.MaxWriteBufferSize,
            CreateBoundListenSocket = o.CreateBoundListenSocket,
        }), loggerFactory);
    }

    /// <summary>Whether RESP connections run inline unless the environment says otherwise (REPLDASH_RESP_INLINE=0).</summary>
    public static bool EnabledByEnvironment => Environment.GetEnvironmentVariable("REPLDASH_RESP_INLINE") != "0";

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => _default.CanBind(endpoint);

    /// <inheritdoc />
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is IPEndPoint ip && _inlinePorts.Contains(ip.Port)
            ? _inline.BindAsync(endpoint, cancellationToken)
            : _default.BindAsync(endpoint, cancellationToken);
}
