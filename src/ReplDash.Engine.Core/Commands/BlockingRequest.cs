using ReplDash.Engine.Core.Keyspace;
using ReplDash.Engine.Core.Resp;

namespace ReplDash.Engine.Core.Commands;

/// <summary>
/// Serves a blocked client from <paramref name="readyKey"/>, one of the keys it waits for, after a write touched
/// that key: writes the client's whole reply and records the effects, then returns true. Returns false, having
/// written nothing, when the key has nothing to serve (not the awaited type, or empty): the client stays blocked.
/// </summary>
public delegate bool BlockedServe(CommandContext context, byte[] readyKey);

/// <summary>What a blocked client waits for (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP).</summary>
/// <param name="Keys">The keys, each once, in the order the client named them.</param>
/// <param name="TimeoutMs">How long to wait; 0 waits until served or disconnected.</param>
/// <param name="Destination">The key a served element is pushed to (BLMOVE), or null.</param>
/// <param name="Serve">Serves the client from a key that became ready.</param>
public sealed record BlockingRequest(IReadOnlyList<byte[]> Keys, long TimeoutMs, byte[]? Destination, BlockedServe Serve)
{
    /// <summary>
    /// What a blocking command does when none of its keys can serve it: where blocking is allowed, sets
    /// <see cref="CommandContext.Block"/> (and writes no reply); elsewhere (inside MULTI) answers a null array, as a
    /// timeout would.
    /// </summary>
    internal static void BlockOrAnswerNull(CommandContext context, IEnumerable<byte[]> keys, long timeoutMs, byte[]? destination, BlockedServe serve)
    {
        if (!context.BlockingAllowed)
        {
            RespWriter.NullArray(context.Reply);
            return;
        }
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        var distinct = new List<byte[]>();
        foreach (var key in keys)
        {
            if (seen.Add(key))
                distinct.Add(key);
        }
        context.Block = new BlockingRequest(distinct, timeoutMs, destination, serve);
    }
}
