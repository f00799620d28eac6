using System.Globalization;
using ReplDash.Engine.Core.Settings;

namespace ReplDash.Engine.Core.SemiSync;

/// <summary>
/// The run-time semi-sync settings under MySQL's variable names (CONFIG GET/SET rpl_semi_sync_master_*),
/// parsed and printed in one place so that CONFIG SET and the REST API accept the same values.
/// </summary>
public static class SemiSyncSettingNames
{
    public const string Enabled = "rpl_semi_sync_master_enabled";
    public const string WaitPoint = "rpl_semi_sync_master_wait_point";
    public const string WaitForSlaveCount = "rpl_semi_sync_master_wait_for_slave_count";
    public const string Timeout = "rpl_semi_sync_master_timeout";
    public const string TraceLevel = "rpl_semi_sync_master_trace_level";

    public static readonly string[] All = [Enabled, WaitPoint, WaitForSlaveCount, Timeout, TraceLevel];

    /// <summary>Each setting's value as CONFIG GET shows it.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Values(SemiSyncConfig config) =>
    [
        new(Enabled, config.Enabled ? "ON" : "OFF"),
        new(WaitPoint, SemiSyncConfig.MySqlName(config.WaitPoint)),
        new(WaitForSlaveCount, config.WaitForSlaveCount.ToString(CultureInfo.InvariantCulture)),
        new(Timeout, config.TimeoutMs.ToString(CultureInfo.InvariantCulture)),
        new(TraceLevel, ((int)config.TraceLevel).ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>True when <paramref name="name"/> is one of the settings (case-insensitive).</summary>
    public static bool IsKnown(string name) => All.Contains(name.ToLowerInvariant());

    /// <summary>
    /// Applies one setting to <paramref name="config"/>. False with a message naming the value when it does not
    /// parse; whether the result is usable as a whole is <see cref="SemiSyncConfig.Problem"/>'s question.
    /// </summary>
    public static bool TryApply(SemiSyncConfig config, string name, string value, out SemiSyncConfig next, out string error)
    {
        next = config;
        error = "";
        switch (name.ToLowerInvariant())
        {
            case Enabled:
                if (!TryParseSwitch(value, out bool enabled))
                    return Fail($"'{value}' is not ON or OFF", out error);
                next = config with { Enabled = enabled };
                return true;
            case WaitPoint:
                if (!SemiSyncConfig.TryParseWaitPoint(value, out var waitPoint))
                    return Fail($"'{value}' is not AFTER_SYNC or AFTER_COMMIT", out error);
                next = config with { WaitPoint = waitPoint };
                return true;
            case WaitForSlaveCount:
                if (!TryParseInteger(value, SettingRanges.SemiSyncWaitForSlaveCount, int.MaxValue, out long count, out error))
                    return false;
                next = config with { WaitForSlaveCount = (int)count };
                return true;
            case Timeout:
                if (!TryParseInteger(value, SettingRanges.SemiSyncTimeoutMs, long.MaxValue, out long timeout, out error))
                    return false;
                next = config with { TimeoutMs = timeout };
                return true;
            case TraceLevel:
                if (!TryParseInteger(value, SettingRanges.SemiSyncTraceLevel, int.MaxValue, out long trace, out error))
                    return false;
                next = config with { TraceLevel = (SemiSyncTrace)trace };
                return true;
            default:
                return Fail($"unknown semi-sync setting '{name}'", out error);
        }
    }

    /// <summary>
    /// Parses an integer setting. Digits too many for <paramref name="largest"/> are refused with the setting's
    /// range (not "not an integer": the operator meant a number, just too big); whether a parsed value is in range
    /// is <see cref="SemiSyncConfig.Problem"/>'s question, so every path refuses it in the same words.
    /// </summary>
    private static bool TryParseInteger(string value, SettingRange range, long largest, out long parsed, out string error)
    {
        error = "";
        string text = value.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed) && parsed <= largest && parsed >= -largest)
            return true;
        parsed = 0;
        bool digits = text.Length > 0 && text.TrimStart('+', '-').Length > 0 && text.TrimStart('+', '-').All(char.IsAsciiDigit)
            && text.LastIndexOfAny(['+', '-']) <= 0;
        return Fail(digits ? range.OutOfRange(range.RuntimeName!, text) : $"'{value}' is not an integer ({range.Describe()})", out error);
    }

    private static bool TryParseSwitch(string value, out bool on)
    {
        switch (value.ToUpperInvariant())
        {
            case "ON" or "1" or "YES" or "TRUE":
                on = true;
                return true;
            case "OFF" or "0" or "NO" or "FALSE":
                on = false;
                return true;
            default:
                on = false;
                return false;
        }
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
