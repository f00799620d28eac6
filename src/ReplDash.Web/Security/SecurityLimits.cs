namespace ReplDash.Web.Security;

/// <summary>Fixed limits of sign-in, passwords and keys (docs/SECURITY.md says why each is what it is).</summary>
public static class SecurityLimits
{
    /// <summary>Shortest password: length, not character classes, is what makes a password hard to guess (NIST SP 800-63B).</summary>
    public const int MinPasswordLength = 12;

    /// <summary>Longest password accepted at sign-in or when set; a longer field is refused with a 400.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Longest user name.</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>Shortest and longest API key accepted (keys made by the dashboard are 47 characters).</summary>
    public const int MinApiKeyLength = 20, MaxApiKeyLength = 200;

    /// <summary>Sign-in attempts (POST /account/login) allowed per client address per window; more get 429.</summary>
    public const int SignInPermitLimit = 10;

    /// <summary>The sign-in rate limiter's window.</summary>
    public static readonly TimeSpan SignInWindow = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords in a row before an account is locked out, and for how long.</summary>
    public const int MaxFailedSignIns = 5;

    /// <inheritdoc cref="MaxFailedSignIns"/>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(5);

    /// <summary>How often a signed-in session (cookie or open page) is checked against the user's security stamp, so that a revocation ends it.</summary>
    public static readonly TimeSpan SessionRevalidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>Largest sign-in request body.</summary>
    public const long MaxSignInBodyBytes = 16 * 1024;
}
