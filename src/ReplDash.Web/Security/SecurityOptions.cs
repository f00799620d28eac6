using ReplDash.Engine.Core.Settings;
using ReplDash.Web.Configuration;

namespace ReplDash.Web.Security;

/// <summary>
/// <c>ReplDash:Security</c>: the sign-in limits an operator may tune (docs/SECURITY.md, docs/OPERATIONS.md). Read at
/// start; ranges in <see cref="SettingRanges"/>. The fixed limits (field lengths, body size) stay in <see cref="SecurityLimits"/>.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ReplDash:Security";

    /// <summary>Wrong passwords in a row before an account is locked out (Identity's lockout).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked-out account stays locked, in minutes.</summary>
    public int LockoutMinutes { get; set; } = 5;

    /// <summary>Sign-in posts (POST /account/login) allowed per client address per minute; more get 429.</summary>
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>
    /// Shortest password a user may be given (and <c>ReplDash:Admin:Password</c>): length, not character classes, is
    /// what makes a password hard to guess (NIST SP 800-63B).
    /// </summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary><see cref="LockoutMinutes"/> as a duration.</summary>
    public TimeSpan LockoutDuration => TimeSpan.FromMinutes(LockoutMinutes);

    /// <summary>The problems with these settings, one sentence each; empty when none.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        Check(errors, SettingRanges.SecurityMaxFailedSignIns, MaxFailedSignIns);
        Check(errors, SettingRanges.SecurityLockoutMinutes, LockoutMinutes);
        Check(errors, SettingRanges.SecuritySignInsPerMinute, SignInsPerMinute);
        Check(errors, SettingRanges.SecurityMinPasswordLength, MinPasswordLength);
        return errors;
    }

    /// <summary>The section's values as written (before binding): not a whole number, or out of range.</summary>
    public static List<string> ValidateText(IConfiguration configuration) => SectionRangeText.Validate(configuration, SectionName);

    private static void Check(List<string> errors, SettingRange range, long value)
    {
        if (range.Problem(range.ConfigKey, value) is { } problem)
            errors.Add($"{problem}.");
    }
}
