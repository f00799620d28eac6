using Bunit;
using ReplDash.Web.Components.Shared;
using ReplDash.Web.Metrics;
using ReplDash.Web.Store.Metrics;

namespace ReplDash.Web.Tests.Components;

/// <summary>
/// Chart series with gaps: an outage (no samples) or a missing value cuts a line in two, the chart draws the
/// pieces apart (never a line across the gap), gives each unit its own axis and names the time zone.
/// </summary>
public sealed class ChartSeriesGapTests : MudComponentTestBase
{
    private const long T0 = 1_765_108_800_000; // 2025-12-07 12:00:00 UTC

    [Fact]
    public void Segments_AnOutageOfTenSeconds_CutsTheLineInTwo()
    {
        // 0..4 s, then nothing until 15 s (the process was stopped), then 15..19 s.
        var samples = Seconds(0, 5).Concat(Seconds(15, 5)).ToList();

        var segments = ChartSeries.Segments(samples, s => s.LagMs);

        Assert.Equal(2, segments.Count);
        Assert.Equal([T0, T0 + 4_000], [segments[0][0].TimeUnixMs, segments[0][^1].TimeUnixMs]);
        Assert.Equal(T0 + 15_000, segments[1][0].TimeUnixMs);
    }

    [Fact]
    public void Segments_ALateSampleIsNoGap()
    {
        // 2 s between two samples (one busy second): still one line.
        var samples = Seconds(0, 3).Concat(Seconds(4, 3)).ToList();

        Assert.Single(ChartSeries.Segments(samples, s => s.LagMs));
    }

    [Fact]
    public void Segments_AValueThatWasMissing_CutsTheLine()
    {
        var samples = Seconds(0, 6).ToList();
        samples[3].LagMs = null; // the link was down: no lag known for that second

        var segments = ChartSeries.Segments(samples, s => s.LagMs);

        Assert.Equal([3, 2], segments.Select(s => s.Count));
    }

    [Fact]
    public void Segments_MinuteSamples_UseTheirOwnResolutionForGaps()
    {
        var samples = Enumerable.Range(0, 4).Select(i => Sample(T0 + i * 60_000, resolutionSeconds: 60)).ToList();

        Assert.Single(ChartSeries.Segments(samples, s => s.LagMs));
    }

    [Fact]
    public void Layout_TwoUnits_GetTwoAxes_OneOnEachSide()
    {
        var series = new[]
        {
            new NamedSeries("Lag (items)", ChartUnit.Items, [[new ChartPoint(T0, 10), new ChartPoint(T0 + 1000, 20)]]),
            new NamedSeries("Lag (time)", ChartUnit.Milliseconds, [[new ChartPoint(T0, 1500), new ChartPoint(T0 + 1000, 3)]]),
        };

        var drawing = TimeChartLayout.Build(series, T0, T0 + 1000, TimeZoneInfo.Utc);

        Assert.Equal([ChartUnit.Items, ChartUnit.Milliseconds], drawing.Axes.Select(a => a.Unit));
        Assert.Equal([false, true], drawing.Axes.Select(a => a.Right));
        Assert.Equal(20, drawing.Axes[0].Max); // 20 items: ticks of 5
        Assert.Equal(2000, drawing.Axes[1].Max); // 1.5 s: ticks of 500 ms
        Assert.Equal("2 s", drawing.Axes[1].Ticks[^1].Label);
        Assert.Equal("20 items", drawing.Axes[0].Ticks[^1].Label);
    }

    [Fact]
    public void Layout_ItemsAxis_StepsByWholeItems()
    {
        var series = new[] { new NamedSeries("Lag (items)", ChartUnit.Items, [[new ChartPoint(T0, 0), new ChartPoint(T0 + 1000, 1)]]) };

        var axis = TimeChartLayout.Build(series, T0, T0 + 1000, TimeZoneInfo.Utc).Axes[0];

        Assert.Equal(["0 items", "1 item", "2 items", "3 items", "4 items"], axis.Ticks.Select(t => t.Label));
    }

    [Fact]
    public void Layout_TimeAxis_IsClockTimeInTheZone_AndNamesIt()
    {
        var plusOne = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test+1", "test+1");
        var series = new[] { new NamedSeries("x", ChartUnit.Bytes, [[new ChartPoint(T0, 1), new ChartPoint(T0 + 300_000, 2)]]) };

        var drawing = TimeChartLayout.Build(series, T0, T0 + 300_000, plusOne);

        Assert.Equal("time (UTC+01:00)", drawing.TimeTitle);
        Assert.Equal("13:00", drawing.TimeTicks[0].Label); // 12:00 UTC is 13:00 there
        Assert.Equal("time (UTC)", TimeChartLayout.Build(series, T0, T0 + 300_000, TimeZoneInfo.Utc).TimeTitle);
    }

    [Fact]
    public void TimeChart_DrawsEachSegmentApart_WithAGapBetween()
    {
        var samples = Seconds(0, 5).Concat(Seconds(15, 5)).Append(Sample(T0 + 30_000)).ToList();
        var series = ChartSeries.NonEmpty(samples,
            new ChartMetric("Lag (items)", ChartUnit.Items, s => s.LagItems),
            new ChartMetric("Lag (time)", ChartUnit.Milliseconds, s => s.LagMs));

        var chart = Context.Render<TimeChart>(p => p
            .Add(c => c.Series, series)
            .Add(c => c.TestId, "chart")
            .Add(c => c.AxisTitles, new Dictionary<ChartUnit, string> { [ChartUnit.Items] = "lag", [ChartUnit.Milliseconds] = "lag" }));

        // Per series: two lines (0-4 s, 15-19 s) and a dot (the lone sample at 30 s); two gaps each.
        Assert.Equal(4, chart.FindAll("polyline").Count);
        Assert.Equal(2, chart.FindAll("circle").Count);
        Assert.Equal("4", chart.Find("[data-testid=chart]").GetAttribute("data-gaps"));
        Assert.Equal("lag (items)", chart.Find("[data-testid=chart-axis-Items]").TextContent);
        Assert.Equal("lag (time)", chart.Find("[data-testid=chart-axis-Milliseconds]").TextContent);
        Assert.StartsWith("time (UTC", chart.Find("[data-testid=chart-time-axis]").TextContent);
        // No line reaches across the outage: every polyline stays within one run of samples.
        foreach (var line in chart.FindAll("polyline"))
        {
            var xs = line.GetAttribute("points")!.Split(' ').Select(p => double.Parse(p.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(xs.Max() - xs.Min() < 0.3 * TimeChartLayout.Width, $"a line spans {xs.Min()}..{xs.Max()}");
        }
    }

    [Fact]
    public void TimeChart_WithoutSamples_SaysSo()
    {
        var chart = Context.Render<TimeChart>(p => p.Add(c => c.Series, []).Add(c => c.EmptyText, "No acks yet."));

        Assert.Contains("No acks yet.", chart.Markup);
        Assert.Empty(chart.FindAll("svg"));
    }

    private static IEnumerable<MetricSampleRecord> Seconds(int from, int count) =>
        Enumerable.Range(from, count).Select(i => Sample(T0 + i * 1000L));

    private static MetricSampleRecord Sample(long timeMs, int resolutionSeconds = 1) => new()
    {
        NodeId = "s1",
        TimeUnixMs = timeMs,
        ResolutionSeconds = resolutionSeconds,
        LagMs = 5,
        LagItems = 2,
    };
}
