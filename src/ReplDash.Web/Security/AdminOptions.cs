namespace ReplDash.Web.Security;

/// <summary>
/// <c>ReplDash:Admin</c>: what the first start gives the <c>admin</c> user (docs/OPERATIONS.md, "Users and API keys").
/// Read only while no user exists; later starts ignore both.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ReplDash:Admin";

    /// <summary>The admin's password; when empty, a random one is printed once and written to <c>&lt;DataDir&gt;/initial-admin-password</c>.</summary>
    public string? Password { get; set; }

    /// <summary>When given, becomes the admin's first Operator API key (stored hashed, revocable), for automated provisioning.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The problems of these settings, one sentence each (empty when they are fine).</summary>
    /// <param name="minPasswordLength">The shortest password allowed (<see cref="SecurityOptions.MinPasswordLength"/>).</param>
    public IReadOnlyList<string> Validate(int minPasswordLength)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(Password) && Password.Length < minPasswordLength)
            errors.Add($"ReplDash:Admin:Password must be at least {minPasswordLength} characters long (ReplDash:Security:MinPasswordLength)");
        if (!string.IsNullOrEmpty(Password) && Password.Length > SecurityLimits.MaxPasswordLength)
            errors.Add($"ReplDash:Admin:Password must be at most {SecurityLimits.MaxPasswordLength} characters long");
        if (!string.IsNullOrEmpty(ApiKey) && (ApiKey.Length < SecurityLimits.MinApiKeyLength || ApiKey.Length > SecurityLimits.MaxApiKeyLength
                || ApiKey.Any(c => c <= ' ' || c > '~')))
            errors.Add($"ReplDash:Admin:ApiKey must be {SecurityLimits.MinApiKeyLength} to {SecurityLimits.MaxApiKeyLength} printable ASCII characters without spaces");
        return errors;
    }
}
