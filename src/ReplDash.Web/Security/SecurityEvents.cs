namespace ReplDash.Web.Security;

/// <summary>Kinds of the security events the dashboard stores (node id <c>dashboard</c>; docs/OPERATIONS.md lists them).</summary>
public static class SecurityEvents
{
    /// <summary>A sign-in failed: unknown user, wrong password, or a locked-out account. Never carries the password.</summary>
    public const string SignInFailedKind = "sign-in-failed";

    /// <summary>Someone signed in.</summary>
    public const string SignedInKind = "signed-in";

    /// <summary>A user was added.</summary>
    public const string UserCreatedKind = "user-created";

    /// <summary>An Operator reset a user's password.</summary>
    public const string PasswordResetKind = "password-reset";

    /// <summary>An Operator ended every session of a user (new security stamp).</summary>
    public const string SessionsRevokedKind = "sessions-revoked";

    /// <summary>An API key was made.</summary>
    public const string ApiKeyCreatedKind = "api-key-created";

    /// <summary>An API key was revoked.</summary>
    public const string ApiKeyRevokedKind = "api-key-revoked";
}
