using System.Globalization;
using ReplDash.Engine.Core.Settings;

namespace ReplDash.Web.Configuration;

/// <summary>
/// Checks the numeric settings of one configuration section as written, before binding: a value that is not a whole
/// number, or one too large for its setting, gets its range in the message (from <see cref="SettingRanges"/>) instead
/// of the binder's "failed to convert".
/// </summary>
public static class SectionRangeText
{
    /// <summary>One message per refused value of the <see cref="SettingRanges"/> rows under <paramref name="sectionName"/>; empty when all are fine.</summary>
    public static List<string> Validate(IConfiguration configuration, string sectionName)
    {
        var errors = new List<string>();
        foreach (var range in SettingRanges.All.Where(r => r.ConfigKey.StartsWith(sectionName + ":", StringComparison.Ordinal)))
        {
            if (configuration[range.ConfigKey] is not { } text)
                continue;
            string trimmed = text.Trim();
            if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                if (range.Problem(range.ConfigKey, value) is { } problem)
                    errors.Add($"{problem}.");
            }
            else if (trimmed.Length > 0 && trimmed.TrimStart('-').All(char.IsAsciiDigit))
                errors.Add($"{range.OutOfRange(range.ConfigKey, trimmed)}.");
            else
                errors.Add($"{range.ConfigKey} must be a whole number between {range.Describe().Replace("-", " and ", StringComparison.Ordinal)} (got '{text}').");
        }
        return errors;
    }
}
