namespace ReplDash.Web.Configuration;

/// <summary>One configuration value as the Settings page shows it.</summary>
/// <param name="Key">Full key, e.g. <c>ReplDash:Nodes:0:RespPort</c>.</param>
/// <param name="Value">The value, or <see cref="EffectiveSettings.Mask"/> when the key looks secret.</param>
public sealed record SettingEntry(string Key, string Value);

/// <summary>
/// The effective <c>ReplDash</c> configuration (every source merged: appsettings.json, environment,
/// command line), flattened and with anything that looks like a secret masked.
/// </summary>
public static class EffectiveSettings
{
    /// <summary>The configuration section shown.</summary>
    public const string SectionName = "ReplDash";

    /// <summary>What a masked value shows instead.</summary>
    public const string Mask = "******";

    // "Pass" also covers Password and Passphrase; masking a harmless key is cheaper than showing a secret.
    // ApiKey and Token: ReplDash:Admin:ApiKey is a credential.
    private static readonly string[] SecretMarkers = ["Secret", "Password", "Pass", "ApiKey", "Token"];

    /// <summary>Every leaf value under <see cref="SectionName"/>, sorted by key, secrets masked.</summary>
    public static IReadOnlyList<SettingEntry> Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName)
            .AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => new SettingEntry(pair.Key, IsSecretKey(pair.Key) ? Mask : pair.Value!))
            .OrderBy(entry => entry.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>
    /// The value as people read it: a byte size (a key ending in Bytes) as "64 MiB", a duration (ending in Ms or
    /// Seconds) with its unit; anything else, and anything that does not parse, as it is.
    /// </summary>
    public static string Human(string key, string value)
    {
        var name = key[(key.LastIndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) + 1)..];
        if (!long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return value;
        }

        if (name.EndsWith("Bytes", StringComparison.OrdinalIgnoreCase))
        {
            return number < 1024 ? $"{number} B" : $"{Formatting.HumanFormat.Bytes(number)} ({Formatting.HumanFormat.Exact(number)} bytes)";
        }

        if (name.EndsWith("Ms", StringComparison.Ordinal))
        {
            return Formatting.HumanFormat.Milliseconds(number);
        }

        return name.EndsWith("Seconds", StringComparison.Ordinal) ? $"{number} s" : value;
    }

    /// <summary>
    /// True when any part of the key names a secret, so a whole <c>Secrets</c> section is masked too. A part ending in
    /// "Length" is a rule about a secret (ReplDash:Security:MinPasswordLength), not one, and is shown.
    /// </summary>
    public static bool IsSecretKey(string key) =>
        key.Split(ConfigurationPath.KeyDelimiter)
            .Any(part => !part.EndsWith("Length", StringComparison.OrdinalIgnoreCase)
                && SecretMarkers.Any(marker => part.Contains(marker, StringComparison.OrdinalIgnoreCase)));
}
