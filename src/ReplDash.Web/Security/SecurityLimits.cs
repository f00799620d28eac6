namespace ReplDash.Web.Security;

/// <summary>
/// Fixed limits of sign-in, passwords and keys (docs/SECURITY.md says why each is what it is). The limits an operator
/// may tune (lockout, sign-in rate, shortest password) are <see cref="SecurityOptions"/>.
/// </summary>
public static class SecurityLimits
{
    /// <summary>Longest password accepted at sign-in or when set; a longer field is refused with a 400.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Longest user name.</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>Shortest and longest API key accepted (keys made by the dashboard are 47 characters).</summary>
    public const int MinApiKeyLength = 20, MaxApiKeyLength = 200;

    /// <summary>The sign-in rate limiter's window (<see cref="SecurityOptions.SignInsPerMinute"/> posts per address in it).</summary>
    public static readonly TimeSpan SignInWindow = TimeSpan.FromMinutes(1);

    /// <summary>Length of a generated first password (longer when the shortest allowed is longer).</summary>
    public const int GeneratedPasswordLength = 24;

    /// <summary>How often a signed-in session (cookie or open page) is checked against the user's security stamp, so that a revocation ends it.</summary>
    public static readonly TimeSpan SessionRevalidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>Largest sign-in request body.</summary>
    public const long MaxSignInBodyBytes = 16 * 1024;
}
