using System.Globalization;

namespace ReplDash.Web.Formatting;

/// <summary>Durations measured in microseconds, for people: 850 µs, 1.2 ms, 3.4 s.</summary>
public static class LatencyFormat
{
    public static string Micros(long microseconds) => microseconds switch
    {
        < 1_000 => microseconds.ToString(CultureInfo.InvariantCulture) + " µs",
        < 1_000_000 => (microseconds / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ => (microseconds / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + " s",
    };

    public static string Millis(long milliseconds) => Micros(milliseconds * 1_000);
}
