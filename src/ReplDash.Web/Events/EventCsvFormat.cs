using System.Globalization;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Events;

/// <summary>
/// The CSV form of stored events (RFC 4180): a header line, then one record per event, CRLF line ends,
/// fields quoted when they hold a comma, a quote, a line break or edge spaces, quotes doubled inside.
/// </summary>
public static class EventCsvFormat
{
    /// <summary>The first line of every export.</summary>
    public const string Header = "id,time_utc,node,kind,message";

    /// <summary>Record separator; RFC 4180 says CRLF, and spreadsheet programs expect it.</summary>
    public const string LineEnd = "\r\n";

    /// <summary>Time format of <c>time_utc</c>: ISO 8601, UTC, milliseconds.</summary>
    public const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>One field as it must appear in the file: unchanged when safe, otherwise quoted with quotes doubled.</summary>
    public static string Escape(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        // Edge spaces are quoted too: several readers trim unquoted fields.
        var needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field[0] == ' ' || field[^1] == ' ';
        return needsQuotes ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>One event as a CSV record, without the line end.</summary>
    public static string Row(EventRecord record) => string.Join(',',
        record.Id.ToString(CultureInfo.InvariantCulture),
        DateTime.SpecifyKind(record.TimeUtc, DateTimeKind.Utc).ToString(TimeFormat, CultureInfo.InvariantCulture),
        Escape(record.NodeId),
        Escape(record.Kind),
        Escape(record.Message));
}
