using System.Globalization;

namespace ReplDash.Web.Metrics;

/// <summary>A tick on an axis: where (SVG units along the axis) and its label.</summary>
public sealed record ChartTick(double Position, string Label);

/// <summary>A value axis: its unit, title, side and ticks. There is one per unit the chart shows.</summary>
public sealed record ChartAxis(ChartUnit Unit, string Title, bool Right, double Max, IReadOnlyList<ChartTick> Ticks);

/// <summary>One series as drawn: a polyline per gap-free segment with two points or more, a dot per lone point.</summary>
public sealed record ChartLine(string Title, int ColorIndex, bool Right, IReadOnlyList<string> Polylines,
    IReadOnlyList<(double X, double Y)> Dots, string LastValue);

/// <summary>Everything a time chart draws, in SVG units of a <see cref="Width"/> × <see cref="Height"/> box.</summary>
public sealed record TimeChartDrawing(double Width, double Height, double Left, double Top, double Right, double Bottom,
    IReadOnlyList<ChartTick> TimeTicks, string TimeTitle, IReadOnlyList<ChartAxis> Axes, IReadOnlyList<ChartLine> Lines, int Gaps);

/// <summary>
/// Lays out a line chart over clock time, in plain C# so tests can check it without a browser: a time axis in
/// the given time zone (named in its title), one value axis per unit (the first on the left, a second on the
/// right; never two units on one scale, zero always at the bottom), and each series' segments as separate
/// polylines so that no line crosses a gap.
/// </summary>
public static class TimeChartLayout
{
    /// <summary>SVG width of a chart.</summary>
    public const double Width = 640;

    /// <summary>SVG height of a chart.</summary>
    public const double Height = 240;

    private const double AxisMargin = 66;
    private const double EdgeMargin = 14;
    private const double TopMargin = 12;
    private const double BottomMargin = 40;

    // Steps a time axis may use, so labels land on round clock times.
    private static readonly long[] TimeStepsMs =
    [
        1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
        3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
    ];

    /// <summary>
    /// Lays out <paramref name="series"/> over [<paramref name="startMs"/>, <paramref name="endMs"/>] (Unix ms),
    /// with clock times in <paramref name="zone"/>. <paramref name="axisTitles"/> names the quantity of each
    /// unit ("logical offset"); the unit is added to it. At most two units (two axes) are drawn.
    /// </summary>
    public static TimeChartDrawing Build(IReadOnlyList<NamedSeries> series, long startMs, long endMs, TimeZoneInfo zone,
        IReadOnlyDictionary<ChartUnit, string>? axisTitles = null)
    {
        if (endMs <= startMs)
        {
            endMs = startMs + 1000;
        }

        var units = series.Select(s => s.Unit).Distinct().Take(2).ToList();
        var right = units.Count > 1;
        var (left, top, rightEdge, bottom) = (AxisMargin, TopMargin, Width - (right ? AxisMargin : EdgeMargin), Height - BottomMargin);
        var plotWidth = rightEdge - left;
        var plotHeight = bottom - top;

        var axes = units.Select((unit, i) =>
        {
            var max = NiceMax(series.Where(s => s.Unit == unit).SelectMany(s => s.Segments).SelectMany(p => p).Select(p => p.Value).DefaultIfEmpty(0).Max(),
                ChartUnits.IsWhole(unit));
            var ticks = Enumerable.Range(0, 5).Select(k => new ChartTick(bottom - plotHeight * k / 4, ChartUnits.Format(unit, max * k / 4))).ToList();
            var quantity = axisTitles?.GetValueOrDefault(unit);
            var title = quantity is null ? ChartUnits.AxisName(unit) : $"{quantity} ({ChartUnits.AxisName(unit)})";
            return new ChartAxis(unit, title, i == 1, max, ticks);
        }).ToList();

        double X(long ms) => left + plotWidth * (ms - startMs) / (double)(endMs - startMs);
        double Y(ChartAxis axis, double value) => bottom - plotHeight * Math.Clamp(value / axis.Max, 0, 1);

        var lines = new List<ChartLine>();
        var gaps = 0;
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var axis = axes.FirstOrDefault(a => a.Unit == s.Unit);
            if (axis is null)
            {
                continue;
            }

            var segments = s.Segments.Select(seg => seg.Where(p => p.TimeUnixMs >= startMs && p.TimeUnixMs <= endMs).ToList()).Where(seg => seg.Count > 0).ToList();
            gaps += Math.Max(0, segments.Count - 1);
            var polylines = segments.Where(seg => seg.Count > 1)
                .Select(seg => string.Join(' ', seg.Select(p => Invariant(X(p.TimeUnixMs), Y(axis, p.Value))))).ToList();
            var dots = segments.Where(seg => seg.Count == 1).Select(seg => (X(seg[0].TimeUnixMs), Y(axis, seg[0].Value))).ToList();
            var last = segments.LastOrDefault()?.LastOrDefault();
            lines.Add(new ChartLine(s.Title, i, axis.Right, polylines, dots, last is null ? "–" : ChartUnits.Format(s.Unit, last.Value)));
        }

        return new TimeChartDrawing(Width, Height, left, top, rightEdge, bottom, TimeTicks(startMs, endMs, zone, left, plotWidth),
            $"time ({ZoneLabel(zone, endMs)})", axes, lines, gaps);
    }

    /// <summary>A time zone as the axis names it: "UTC", "UTC+01:00" (its offset at <paramref name="atMs"/>).</summary>
    public static string ZoneLabel(TimeZoneInfo zone, long atMs)
    {
        var offset = zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(atMs));
        return offset == TimeSpan.Zero
            ? "UTC"
            : $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm}";
    }

    /// <summary>
    /// The smallest round number at or above <paramref name="max"/> that splits into four readable steps (1 when
    /// nothing is above zero). For <paramref name="whole"/> units (items, counts) a step is at least one, so no tick
    /// reads "0.25 items".
    /// </summary>
    public static double NiceMax(double max, bool whole = false)
    {
        if (!(max > 0) || double.IsInfinity(max))
        {
            return whole ? 4 : 1;
        }

        var raw = whole ? Math.Max(1, max / 4) : max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw * (1 - 1e-9));
        return step * 4;
    }

    // Round clock times in the zone: at most six labels, seconds shown only when steps are under a minute.
    private static List<ChartTick> TimeTicks(long startMs, long endMs, TimeZoneInfo zone, double left, double plotWidth)
    {
        var span = endMs - startMs;
        var step = TimeStepsMs.FirstOrDefault(s => span / s <= 6, 86_400_000);
        var offsetMs = (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(startMs)).TotalMilliseconds;
        var first = (long)Math.Ceiling((startMs + offsetMs) / (double)step) * step - offsetMs;
        var format = step < 60_000 ? "HH:mm:ss" : "HH:mm";
        var ticks = new List<ChartTick>();
        for (var t = first; t <= endMs; t += step)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(t), zone);
            ticks.Add(new ChartTick(left + plotWidth * (t - startMs) / span, local.ToString(format, CultureInfo.InvariantCulture)));
        }

        return ticks;
    }

    private static string Invariant(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
}
