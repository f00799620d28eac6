namespace ReplDash.Web.Store.Consistency;

/// <summary>One key that differed between the master and one slave at a check marker's position.</summary>
public sealed class CheckFindingRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The run.</summary>
    public long RunId { get; set; }

    /// <summary>The slave that differs from the master.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>The key as text (UTF-8; undecodable bytes replaced), for people.</summary>
    public string Key { get; set; } = "";

    /// <summary>The key's bytes in hex, exact.</summary>
    public string KeyHex { get; set; } = "";

    /// <summary>
    /// The numbered database holding the key (SELECT's index). Runs stored before findings carried it read as 0: the
    /// migration <c>FindingDatabase</c> adds the column with default 0, and until then every key compared was in database 0's place.
    /// </summary>
    public int Database { get; set; }

    /// <summary>The key's bucket.</summary>
    public int Bucket { get; set; }

    /// <summary>How it differs: comma-separated names (MissingOnSlave, MissingOnMaster, Type, Value, Ttl).</summary>
    public string Difference { get; set; } = "";

    /// <summary>The master's type (null when missing there).</summary>
    public string? MasterType { get; set; }

    /// <summary>The slave's type (null when missing there).</summary>
    public string? SlaveType { get; set; }

    /// <summary>SHA-1 of the master's value, hex (null when missing there).</summary>
    public string? MasterValueDigest { get; set; }

    /// <summary>SHA-1 of the slave's value, hex (null when missing there).</summary>
    public string? SlaveValueDigest { get; set; }

    /// <summary>The master's absolute expiry, Unix ms (0 = none; null when missing there).</summary>
    public long? MasterExpireAtMs { get; set; }

    /// <summary>The slave's absolute expiry, Unix ms (0 = none; null when missing there).</summary>
    public long? SlaveExpireAtMs { get; set; }
}
