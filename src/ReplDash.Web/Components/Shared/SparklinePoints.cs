using System.Globalization;
using System.Text;

namespace ReplDash.Web.Components.Shared;

/// <summary>Maps values onto an SVG polyline: x spread evenly, y scaled so the largest value touches the top.</summary>
public static class SparklinePoints
{
    /// <summary>
    /// "x,y x,y ..." for <paramref name="values"/> in a <paramref name="width"/> × <paramref name="height"/> box. With
    /// <paramref name="slots"/> larger than the count, the values fill the right-hand end of that many slots, so a
    /// line that has only just started sampling is short instead of stretched over the whole time span.
    /// </summary>
    public static string Line(IReadOnlyList<double> values, double width, double height, int slots = 0)
    {
        if (values.Count == 0)
        {
            return "";
        }

        // Zero at the bottom, always: a rate that looks high because the scale starts at its minimum misleads.
        var max = Math.Max(values.Max(), 1e-9);
        var span = Math.Max(slots, values.Count);
        var step = span == 1 ? 0 : width / (span - 1);
        var offset = span - values.Count;
        var text = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            var y = height - (Math.Max(0, values[i]) / max * (height - 2)) - 1;
            text.Append(CultureInfo.InvariantCulture, $"{(i + offset) * step:0.#},{y:0.#} ");
        }

        return text.ToString().TrimEnd();
    }
}
