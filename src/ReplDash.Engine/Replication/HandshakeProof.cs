using System.Security.Cryptography;
using System.Text;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Proves knowledge of the replication secret without sending it: HMAC-SHA256(secret, master's nonce).
/// A fresh nonce per connection means a captured proof cannot be replayed.
/// </summary>
public static class HandshakeProof
{
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(16);

    public static byte[] Compute(string secret, byte[] nonce) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), nonce);

    public static bool Verify(string secret, byte[] nonce, byte[] proof) =>
        CryptographicOperations.FixedTimeEquals(Compute(secret, nonce), proof);
}
