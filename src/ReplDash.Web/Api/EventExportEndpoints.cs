using System.Globalization;
using System.Text;
using ReplDash.Web.Events;

namespace ReplDash.Web.Api;

/// <summary><c>GET /api/events.csv</c>: the stored events matching a filter, as a CSV download.</summary>
public static class EventExportEndpoints
{
    /// <summary>Route of the export; the Events page links to it with its current filter.</summary>
    public const string Path = "/api/events.csv";

    /// <summary>Maps the export: <c>?node=&amp;kind=&amp;from=&amp;to=</c>, every one optional, times in ISO 8601.</summary>
    public static IEndpointRouteBuilder MapEventExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HttpContext http, EventStoreReader reader, TimeProvider time,
            string? node, string? kind, DateTimeOffset? from, DateTimeOffset? to) =>
        {
            var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"repldash-events-{stamp}.csv\"";

            // Streamed row by row: an export of a long history never sits in memory whole.
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteAsync(EventCsvFormat.Header + EventCsvFormat.LineEnd);
            await foreach (var record in reader.StreamAsync(new EventFilter(node, kind, from, to), http.RequestAborted))
            {
                await writer.WriteAsync(EventCsvFormat.Row(record) + EventCsvFormat.LineEnd);
            }
        });
        return endpoints;
    }

    /// <summary>The export's address for a filter, as the Events page links to it.</summary>
    public static string UrlFor(EventFilter filter)
    {
        var query = new List<string>();
        Add("node", filter.NodeId);
        Add("kind", filter.Kind);
        Add("from", filter.From?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add("to", filter.To?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        return query.Count == 0 ? Path : Path + "?" + string.Join('&', query);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
    }
}
