namespace ReplDash.Web.Store.Security;

/// <summary>
/// An API key for the REST API and the hub (<c>Authorization: Bearer &lt;key&gt;</c>). Only the key's SHA-256 is
/// stored: the key itself is shown once, when it is created, and cannot be read back.
/// </summary>
public sealed class ApiKeyRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>What the key is for ("ci", "grafana"), chosen by the Operator who made it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The role the key acts with: Viewer or Operator.</summary>
    public string Role { get; set; } = "";

    /// <summary>The Identity user the key belongs to.</summary>
    public string OwnerUserId { get; set; } = "";

    /// <summary>The first characters of the key, to tell keys apart in lists (not enough to use it).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole key, lower-case hex; unique.</summary>
    public string HashHex { get; set; } = "";

    /// <summary>When the key was made (UTC).</summary>
    public DateTime CreatedUtc { get; set; }

    /// <summary>Who made it (a user name, or "first start" for <c>ReplDash:Admin:ApiKey</c>).</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>When the key last authenticated a request (UTC, updated at most once a minute); null: never.</summary>
    public DateTime? LastUsedUtc { get; set; }

    /// <summary>When the key was revoked (UTC); a revoked key authenticates nothing.</summary>
    public DateTime? RevokedUtc { get; set; }
}
