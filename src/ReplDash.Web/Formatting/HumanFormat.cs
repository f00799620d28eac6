using System.Diagnostics;
using System.Globalization;

namespace ReplDash.Web.Formatting;

/// <summary>Numbers as people read them on a dashboard: 950, 1.2k, 3.4M, 3.4 MiB, 850 µs.</summary>
public static class HumanFormat
{
    private static readonly (double Scale, string Suffix)[] Units =
    [
        (1, ""),
        (1e3, "k"),
        (1e6, "M"),
        (1e9, "G"),
        (1e12, "T"),
    ];

    /// <summary>A count with a metric suffix past a thousand, one decimal where it helps: 999, 1.2k, 15k, 3.4M.</summary>
    public static string Compact(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "–";
        }

        // The smallest unit whose printed number stays below 1000, so that 999,950 prints as 1M, not 1000k.
        foreach (var (scale, suffix) in Units)
        {
            var scaled = value / scale;
            if (Math.Abs(Rounded(scaled)) < 1000 || suffix == Units[^1].Suffix)
            {
                return Scaled(scaled) + suffix;
            }
        }

        throw new UnreachableException();
    }

    /// <summary>Commands per second: "1.2k ops/s".</summary>
    public static string OpsPerSecond(double opsPerSecond) => Compact(opsPerSecond) + " ops/s";

    /// <summary>An exact count with thousands separators, for tooltips: 1,234,567.</summary>
    public static string Exact(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// A node's key count for a tooltip: the exact total, and per numbered database when a database other than 0 holds
    /// keys: "1,234 (db0: 1,000, db3: 234)".
    /// </summary>
    public static string KeyCount(long total, IReadOnlyDictionary<int, long> byDatabase) =>
        byDatabase.Keys.All(database => database == 0)
            ? Exact(total)
            : $"{Exact(total)} ({string.Join(", ", byDatabase.OrderBy(d => d.Key).Select(d => $"db{d.Key}: {Exact(d.Value)}"))})";

    /// <summary>A byte count in binary units: 512 B, 1.5 KiB, 64 MiB.</summary>
    public static string Bytes(long bytes)
    {
        string[] suffixes = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < suffixes.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B"
            : $"{Scaled(value)} {suffixes[unit]}";
    }

    /// <summary>Bytes per second in binary units: "3.4 MiB/s".</summary>
    public static string BytesPerSecond(double bytesPerSecond) =>
        double.IsNaN(bytesPerSecond) || double.IsInfinity(bytesPerSecond) ? "–" : Bytes((long)Math.Round(bytesPerSecond)) + "/s";

    /// <summary>A duration given in microseconds, in the unit that keeps the number short: 850 µs, 1.2 ms, 15 ms, 3.4 s, 2.5 min.</summary>
    public static string Microseconds(double microseconds)
    {
        if (double.IsNaN(microseconds) || double.IsInfinity(microseconds))
        {
            return "–";
        }

        // Thresholds sit where the rounded number would reach the next unit, so 999.96 µs prints as 1 ms.
        var magnitude = Math.Abs(microseconds);
        return magnitude switch
        {
            < 999.5 => Scaled(microseconds) + " µs",
            < 999_500 => Scaled(microseconds / 1e3) + " ms",
            < 59_950_000 => Scaled(microseconds / 1e6) + " s",
            _ => Scaled(microseconds / 6e7) + " min",
        };
    }

    /// <summary>A duration given in milliseconds: 850 µs, 1.2 ms, 3.4 s; zero as "0 ms" (the unit the engine measures in).</summary>
    public static string Milliseconds(double milliseconds) => milliseconds == 0 ? "0 ms" : Microseconds(milliseconds * 1e3);

    /// <summary>A count of binlog items: "1 item", "1.2k items".</summary>
    public static string Items(long items) => items == 1 ? "1 item" : Compact(items) + " items";

    // One decimal below ten (1.2k, 2.5), whole numbers above (15k, 850).
    private static double Rounded(double value) =>
        Math.Abs(value) < 9.95 ? Math.Round(value, 1) : Math.Round(value);

    private static string Scaled(double value) =>
        Rounded(value).ToString(Math.Abs(value) < 9.95 ? "0.#" : "0", CultureInfo.InvariantCulture);
}
