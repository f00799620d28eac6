namespace ReplDash.Engine.Core.Consistency;

/// <summary>How a key differs between the master and a slave (several may hold at once).</summary>
[Flags]
public enum DifferenceKind
{
    /// <summary>The same on both.</summary>
    None = 0,
    /// <summary>The master has the key; the slave does not.</summary>
    MissingOnSlave = 1,
    /// <summary>The slave has a key the master does not.</summary>
    MissingOnMaster = 2,
    /// <summary>Both have it, with different types.</summary>
    Type = 4,
    /// <summary>Both have it, with different values.</summary>
    Value = 8,
    /// <summary>Both have it, with different expiries.</summary>
    Ttl = 16,
}

/// <summary>One key that differs between the master and one slave at a marker's position.</summary>
/// <param name="Key">The key.</param>
/// <param name="Kind">How it differs.</param>
/// <param name="Master">The master's view (null when missing there).</param>
/// <param name="Slave">The slave's view (null when missing there).</param>
public sealed record KeyDifference(byte[] Key, DifferenceKind Kind, KeyDigest? Master, KeyDigest? Slave)
{
    /// <summary>The numbered database holding the key (on whichever side has it; both sides agree, as keys match by database).</summary>
    public int Database => (Master ?? Slave)?.Database ?? 0;
}
