namespace ReplDash.Engine.Core.Protocol;

/// <summary>An operator-visible event a machine raised (the engine's EngineEvent kinds: link-up, trysync, semisync-off...).</summary>
/// <param name="Kind">The event kind, as in docs/OPERATIONS.md.</param>
/// <param name="Message">One sentence for operators.</param>
public sealed record ProtocolEvent(string Kind, string Message);

/// <summary>A frame to send on one link.</summary>
/// <param name="LinkId">The link (the driver's connection id).</param>
/// <param name="Message">What to send.</param>
public sealed record LinkFrame(long LinkId, Replication.ReplicationMessage Message);

/// <summary>A link the machine closes, and why (the peer hears it as a closed connection, after any Error frame queued before).</summary>
public sealed record LinkClose(long LinkId, string Reason);

/// <summary>
/// Proof of the replication secret: HMAC-SHA256(secret, nonce). The nonce is the driver's (random numbers stay outside
/// the core); the computation is pure.
/// </summary>
public static class SecretProof
{
    /// <summary>The proof a slave sends for <paramref name="nonce"/>.</summary>
    public static byte[] Compute(string secret, byte[] nonce) =>
        System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), nonce);

    /// <summary>True when <paramref name="proof"/> proves <paramref name="secret"/> for <paramref name="nonce"/> (constant time).</summary>
    public static bool Verify(string secret, byte[] nonce, byte[] proof) =>
        proof.Length == 32 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Compute(secret, nonce), proof);
}
