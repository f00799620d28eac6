using System.Globalization;

namespace ReplDash.Engine.Core.Settings;

/// <summary>
/// The documented range of one numeric setting: the start-up configuration key, the run-time name when it can be
/// changed while running (CONFIG SET and the REST API), the bounds and the unit. Every path that takes the value
/// checks it here, so they refuse the same values with the same words (docs/OPERATIONS.md, "Ranges").
/// </summary>
/// <param name="ConfigKey">The configuration key (ReplDash:SemiSync:TimeoutMs).</param>
/// <param name="RuntimeName">The run-time name (rpl_semi_sync_master_timeout), or null when only set at start.</param>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
/// <param name="Unit">Unit for messages and docs ("ms", "bytes", "s"), or empty.</param>
/// <param name="Why">Why the bounds are where they are (for the docs table).</param>
public sealed record SettingRange(string ConfigKey, string? RuntimeName, double Min, double Max, string Unit, string Why)
{
    /// <summary>True when <paramref name="value"/> is within the bounds (NaN never is).</summary>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>True when <paramref name="value"/> is within the bounds.</summary>
    public bool Contains(long value) => value >= Min && value <= Max;

    /// <summary>"1-4294967295 ms": the range as the docs and messages print it.</summary>
    public string Describe() => $"{Format(Min)}-{Format(Max)}{UnitSuffix}";

    /// <summary>Why <paramref name="value"/> is refused under <paramref name="name"/>, or null when it is in range.</summary>
    public string? Problem(string name, long value) =>
        Contains(value) ? null : OutOfRange(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Why <paramref name="value"/> is refused under <paramref name="name"/>, or null when it is in range.</summary>
    public string? Problem(string name, double value) =>
        Contains(value) ? null : OutOfRange(name, Format(value));

    /// <summary>The message for a value outside the range (or one too large to parse), named <paramref name="name"/>.</summary>
    public string OutOfRange(string name, string value) =>
        $"{name} must be between {Format(Min)} and {Format(Max)}{UnitSuffix} (got {value})";

    private string UnitSuffix => Unit.Length == 0 ? "" : " " + Unit;

    // Whole numbers print every digit (a custom format would round 2^50 to 15 significant digits).
    private static string Format(double value) =>
        !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
        : value == Math.Floor(value) && Math.Abs(value) < 9e18 ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
