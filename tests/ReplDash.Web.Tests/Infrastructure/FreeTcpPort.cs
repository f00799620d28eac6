using System.Net;
using System.Net.Sockets;

namespace ReplDash.Web.Tests.Infrastructure;

/// <summary>Ports the operating system says are free right now, so parallel test hosts do not collide.</summary>
public static class FreeTcpPort
{
    /// <summary>A loopback port nobody listens on at the moment of the call.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
