using System.Globalization;
using System.Net;
using System.Text;

namespace ReplDash.Web.Consistency;

/// <summary>
/// The printable HTML report: a self-contained page (no scripts, no outside assets) with the summary, the per-node
/// table and the differing keys (XHTML-compatible syntax, so any XML parser reads it too), laid out for A4 portrait (print CSS: @page size and margins, table headers repeated
/// on each page, rows never split).
/// </summary>
public static class CheckReportHtml
{
    /// <summary>The page of <paramref name="report"/>.</summary>
    public static string Render(CheckReport report)
    {
        var run = report.Run;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        html.Append("<title>").Append(E($"Consistency check {run.Id} · {report.Cluster}")).Append("</title>\n");
        html.Append("""
            <style>
            @page { size: A4 portrait; margin: 15mm 12mm; }
            body { font: 10pt/1.35 system-ui, sans-serif; color: #111; margin: 0 auto; max-width: 186mm; }
            h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; }
            table { border-collapse: collapse; width: 100%; table-layout: fixed; }
            th, td { border: 0.3mm solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
            th { background: #eee; } thead { display: table-header-group; } tr { break-inside: avoid; }
            dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 0; } dt { font-weight: 600; } dd { margin: 0; }
            .digest { font-family: monospace; font-size: 8pt; }
            .clean { color: #1b5e20; } .differs { color: #b71c1c; }
            </style>

            """);
        html.Append("</head>\n<body>\n");
        html.Append("<h1>").Append(E($"Consistency check {run.Id} · cluster {report.Cluster}")).Append("</h1>\n");
        html.Append("<h2>Summary</h2>\n<dl>\n");
        Row(html, "Status", run.Status);
        Row(html, "Outcome", run.Outcome);
        Row(html, "Started", $"{Time(run.StartedUtc)} by {run.StartedBy}");
        Row(html, "Ended", run.EndedUtc is { } ended ? Time(ended) : "—");
        Row(html, "Master", run.Master);
        Row(html, "Slaves", string.Join(", ", run.Nodes));
        Row(html, "Binlog positions", $"{run.FirstMarkerPosition ?? "—"} … {run.LastMarkerPosition ?? "—"}");
        Row(html, "Buckets", $"{run.BucketsDone} of {run.BucketsTotal} ({run.BucketRanges})");
        Row(html, "Chunks", $"{run.ChunksDone}, {run.DifferingChunks} differing");
        Row(html, "Keys compared", run.KeysCompared.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "Differing keys", run.DifferingKeys.ToString(CultureInfo.InvariantCulture));
        if (run.RecheckRunId is { } recheck)
            Row(html, "Repaired", $"{(run.RepairedUtc is { } at ? Time(at) : "")} by {run.RepairedBy}; re-check {recheck}");
        if (run.RepairOfRunId is { } of)
            Row(html, "Re-check of", $"check {of}");
        Row(html, "Report generated", Time(report.GeneratedUtc));
        html.Append("</dl>\n");

        html.Append("<h2>Per node</h2>\n<table>\n<thead><tr><th>Node</th><th>Result</th><th>Differing keys</th><th>Missing on slave</th><th>Missing on master</th></tr></thead>\n<tbody>\n");
        foreach (var node in report.Nodes)
            html.Append("<tr><td>").Append(E(node.Node)).Append("</td><td class=\"").Append(node.Clean ? "clean\">clean" : "differs\">differs")
                .Append("</td><td>").Append(node.DifferingKeys).Append("</td><td>").Append(node.MissingOnSlave)
                .Append("</td><td>").Append(node.MissingOnMaster).Append("</td></tr>\n");
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Differing keys</h2>\n");
        if (report.Findings.Count == 0)
            html.Append("<p>None.</p>\n");
        else
        {
            html.Append("<table>\n<thead><tr><th style=\"width:9%\">Node</th><th style=\"width:5%\">DB</th><th style=\"width:20%\">Key</th><th style=\"width:15%\">Difference</th>"
                + "<th>Master (type, value SHA-1, expiry)</th><th>Slave (type, value SHA-1, expiry)</th></tr></thead>\n<tbody>\n");
            foreach (var f in report.Findings)
                html.Append("<tr><td>").Append(E(f.Node)).Append("</td><td>").Append(f.Database).Append("</td><td>").Append(E(f.Key)).Append("</td><td>").Append(E(string.Join(", ", f.Difference)))
                    .Append("</td><td>").Append(Side(f.Master)).Append("</td><td>").Append(Side(f.Slave)).Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static string Side(CheckKeySide? side) => side is null
        ? "<em>missing</em>"
        : $"{E(side.Type)}<br /><span class=\"digest\">{E(side.ValueDigest)}</span><br />{E(side.ExpireAtMs == 0 ? "no expiry" : Time(DateTimeOffset.FromUnixTimeMilliseconds(side.ExpireAtMs).UtcDateTime))}";

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
