using ReplDash.Web.Formatting;

namespace ReplDash.Web.Metrics;

/// <summary>What a chart axis measures. Each unit gets its own axis: a chart never puts two units on one scale.</summary>
public enum ChartUnit
{
    /// <summary>Bytes (logical offsets, lag in bytes): 3.4 MiB.</summary>
    Bytes,

    /// <summary>Binlog items: 1.2k items.</summary>
    Items,

    /// <summary>A duration measured in milliseconds: 850 µs, 1.2 ms, 3.4 s.</summary>
    Milliseconds,

    /// <summary>A duration measured in microseconds.</summary>
    Microseconds,

    /// <summary>A count (acks in a histogram bucket).</summary>
    Count,
}

/// <summary>How each <see cref="ChartUnit"/> is named on its axis and how its values read.</summary>
public static class ChartUnits
{
    /// <summary>The axis title's unit, in brackets after the quantity: "bytes", "items", "time".</summary>
    public static string AxisName(ChartUnit unit) => unit switch
    {
        ChartUnit.Bytes => "bytes",
        ChartUnit.Items => "items",
        ChartUnit.Milliseconds or ChartUnit.Microseconds => "time",
        _ => "count",
    };

    /// <summary>True for units counted in whole numbers (items, counts): their axes step by one at least.</summary>
    public static bool IsWhole(ChartUnit unit) => unit is ChartUnit.Items or ChartUnit.Count;

    /// <summary>A value with its unit, for tick labels and tooltips.</summary>
    public static string Format(ChartUnit unit, double value) => unit switch
    {
        ChartUnit.Bytes => HumanFormat.Bytes((long)Math.Round(value)),
        ChartUnit.Items => HumanFormat.Items((long)Math.Round(value)),
        ChartUnit.Milliseconds => HumanFormat.Milliseconds(value),
        ChartUnit.Microseconds => HumanFormat.Microseconds(value),
        _ => HumanFormat.Compact(value),
    };
}
