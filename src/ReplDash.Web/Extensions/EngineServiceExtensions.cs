using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using ReplDash.Engine.Configuration;
using ReplDash.Engine.Hosting;
using ReplDash.Engine.Replication;
using ReplDash.Engine.Resp;
using ReplDash.Web.Hosting;

namespace ReplDash.Web.Extensions;

/// <summary>
/// Registers the replication engine: the hosted nodes, their Redis-protocol listeners, and the
/// Kestrel endpoint of the dashboard itself.
/// </summary>
public static class EngineServiceExtensions
{
    /// <summary>
    /// Adds the engine's services (IClusterStatus, the node hosts) and configures every Kestrel
    /// listener, the dashboard's HTTP port (ReplDash:Http:Port, default 5000, on ReplDash:BindAddress,
    /// default 127.0.0.1) included. Requires an IEngineEventSink registration (the dashboard store).
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration is wrong; the message lists every problem.</exception>
    public static WebApplicationBuilder AddReplDashEngine(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ReplDashOptions.SectionName);
        var options = section.Get<ReplDashOptions>() ?? new ReplDashOptions();
        var errors = ReplDashOptionsValidator.Validate(options);
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));

        builder.Services.Configure<ReplDashOptions>(section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClusterHost>();
        builder.Services.AddSingleton<IClusterStatus>(sp => sp.GetRequiredService<ClusterHost>());
        builder.Services.AddSingleton<OperatorActions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterHost>());
        builder.Services.AddHostedService<StartupBanner>();

        // Registered after Kestrel's own socket transport, so Kestrel (which tries the last one first) binds with it.
        if (RespTransportFactory.EnabledByEnvironment)
        {
            int[] respPorts = [.. ClusterHost.HostedNodeOptions(options).Select(n => n.RespPort)];
            builder.Services.AddSingleton<IConnectionListenerFactory>(sp => new RespTransportFactory(respPorts,
                sp.GetRequiredService<IOptions<SocketTransportOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
        }

        var address = IPAddress.Parse(options.BindAddress);
        var tls = options.Tls;
        // One certificate for every TLS listener, loaded once (the validator has checked that it loads).
        var certificate = tls.AnyEnabled ? TlsCertificates.LoadServerCertificate(tls) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Http.Port, listen => UseTlsIf(listen, tls.Http, certificate));
            foreach (var node in ClusterHost.HostedNodeOptions(options))
            {
                kestrel.Listen(address, node.RespPort, listen => UseTlsIf(listen, tls.Resp, certificate)
                    .UseConnectionHandler<RespConnectionHandler>());
                if (string.Equals(node.Role, "master", StringComparison.OrdinalIgnoreCase) && node.ReplicationPort != 0)
                    kestrel.Listen(address, node.ReplicationPort, listen => UseTlsIf(listen, tls.Replication, certificate)
                        .UseConnectionHandler<ReplicationConnectionHandler>());
            }
        });
        return builder;
    }

    // Kestrel's TLS middleware works for any protocol on the connection, not only HTTP.
    private static ListenOptions UseTlsIf(ListenOptions listen, bool enabled, X509Certificate2? certificate) =>
        enabled && certificate is not null ? listen.UseHttps(certificate) : listen;
}
