using ReplDash.Engine.Core.Commands;

namespace ReplDash.Engine.Core.Keyspace;

/// <summary>Active expiry.</summary>
public sealed partial class KeyspaceStore
{
    /// <summary>
    /// Active expiry on the master: deletes up to <paramref name="maxKeys"/> keys whose expiry is at or
    /// before the context's clock, recording a DEL effect for each. Returns how many were deleted.
    /// Does nothing while applying (no clock): replicas wait for the master's DEL.
    /// </summary>
    public int SweepExpired(CommandContext context, int maxKeys)
    {
        if (context.NowMs is not long now)
            return 0;
        int deleted = 0;
        while (deleted < maxKeys && _expiries.TryPeekDue(now, out var key))
        {
            var entry = _entries[key];
            Remove(entry);
            context.RecordEffect(DelCommand, entry.Key);
            deleted++;
        }
        return deleted;
    }
}
