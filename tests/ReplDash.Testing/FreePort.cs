using System.Net;
using System.Net.Sockets;

namespace ReplDash.Testing;

/// <summary>
/// Picks TCP ports on 127.0.0.1 that nothing listens on right now, below Linux's ephemeral range
/// (32768-60999): a port from that range, once released, can be taken by any outgoing connection before the
/// app binds it. Ports handed out once are not handed out again by this process.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;
    private static readonly HashSet<int> Given = new();
    private static readonly Random Random = new();

    public static int Next()
    {
        lock (Given)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int port = Random.Next(First, Last);
                if (Given.Contains(port) || !IsFree(port))
                    continue;
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port found in {First}-{Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
