using System.Net;

namespace ReplDash.Engine.Resp;

/// <summary>
/// Redis's protected mode (ReplDash:ProtectedMode, on by default): a node without a password serves RESP clients from
/// loopback addresses only, so that a node someone forgot to firewall does not serve the network unauthenticated.
/// </summary>
public static class ProtectedMode
{
    /// <summary>
    /// The refusal, in Redis's words so that operators find its documentation; what to do is ReplDash's configuration.
    /// </summary>
    public const string Error =
        "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. "
        + "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers, "
        + "set a password for the node (ReplDash:Nodes:N:Password or ReplDash:RequirePass), or disable protected mode "
        + "(ReplDash:ProtectedMode=false) only if the network is otherwise protected.";

    /// <summary>True when a client from <paramref name="remote"/> must be refused.</summary>
    public static bool Refuses(bool enabled, string? password, EndPoint? remote) =>
        enabled && password is null && remote is IPEndPoint { Address: var address }
        && !IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
