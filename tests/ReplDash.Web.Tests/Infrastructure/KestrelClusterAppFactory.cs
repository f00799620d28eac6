using Microsoft.AspNetCore.Hosting;
using ReplDash.Testing;

namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>
/// The whole app in-process on real Kestrel ports (not TestServer): the dashboard's HTTP port, and master m1 with
/// its slave s1 on their own RESP and replication ports, faults enabled. For clients that need a real socket
/// (the .NET SignalR client over WebSockets, RESP clients).
/// </summary>
public class KestrelClusterAppFactory : DashboardAppFactory
{
    /// <summary>Creates the factory; the server starts on first use or <see cref="Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory{T}.StartServer"/>.</summary>
    public KestrelClusterAppFactory() => UseKestrel();

    /// <summary>The dashboard's port.</summary>
    public int HttpPort { get; } = FreePort.Next();

    /// <summary>m1's Redis-protocol port.</summary>
    public int MasterResp { get; } = FreePort.Next();

    /// <summary>s1's Redis-protocol port.</summary>
    public int SlaveResp { get; } = FreePort.Next();

    /// <summary>m1's replication listener.</summary>
    public int MasterReplication { get; } = FreePort.Next();

    /// <summary>The dashboard's base address.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ReplDash:Node", "m1,s1");
        builder.UseSetting("ReplDash:Http:Port", HttpPort.ToString());
        builder.UseSetting("ReplDash:Nodes:0:RespPort", MasterResp.ToString());
        builder.UseSetting("ReplDash:Nodes:0:ReplicationPort", MasterReplication.ToString());
        builder.UseSetting("ReplDash:Nodes:1:RespPort", SlaveResp.ToString());
        builder.UseSetting("ReplDash:Nodes:1:MasterAddress", $"127.0.0.1:{MasterReplication}");
        builder.UseSetting("ReplDash:Faults:Enabled", "true");
    }
}
