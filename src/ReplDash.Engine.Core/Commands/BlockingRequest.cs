namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Serves a blocked client from <paramref name="readyKey"/>, one of the keys it waits for, after a write touched
/// that key: writes the client's whole reply and records the effects, then returns true. Returns false, having
/// written nothing, when the key has nothing to serve (not a list, or empty): the client stays blocked.
/// </summary>
public delegate bool BlockedServe(CommandContext context, byte[] readyKey);

/// <summary>What a blocked client waits for (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP).</summary>
/// <param name="Keys">The keys, each once, in the order the client named them.</param>
/// <param name="TimeoutMs">How long to wait; 0 waits until served or disconnected.</param>
/// <param name="Destination">The key a served element is pushed to (BLMOVE), or null.</param>
/// <param name="Serve">Serves the client from a key that became ready.</param>
public sealed record BlockingRequest(IReadOnlyList<byte[]> Keys, long TimeoutMs, byte[]? Destination, BlockedServe Serve);
