using System.Globalization;
using CsvHelper;

namespace ReplDash.Web.Consistency;

/// <summary>One CSV row: one differing key on one slave.</summary>
[CsvRecord]
public sealed partial class CheckReportCsvRow
{
    public long RunId { get; set; }
    public string Node { get; set; } = "";
    public string Key { get; set; } = "";
    public string KeyHex { get; set; } = "";
    public int Bucket { get; set; }
    public string Difference { get; set; } = "";
    public string MasterType { get; set; } = "";
    public string SlaveType { get; set; } = "";
    public string MasterValueDigest { get; set; } = "";
    public string SlaveValueDigest { get; set; } = "";
    public string MasterExpireAtMs { get; set; } = "";
    public string SlaveExpireAtMs { get; set; } = "";
    // Last, so that readers of the columns by position before it was added still read them.
    public int Database { get; set; }
}

/// <summary>The CSV report (CsvHelper): a header, then one row per differing key per slave; empty cells where a side lacks the key.</summary>
public static class CheckReportCsv
{
    /// <summary>Writes <paramref name="report"/> as CSV.</summary>
    public static void Write(CheckReport report, TextWriter output)
    {
        using var csv = CsvWriter.Create(output, null, leaveOpen: true);
        csv.WriteRecords(report.Findings.Select(f => new CheckReportCsvRow
        {
            RunId = report.Run.Id,
            Node = f.Node,
            Key = f.Key,
            KeyHex = f.KeyHex,
            Bucket = f.Bucket,
            Difference = string.Join('|', f.Difference),
            MasterType = f.Master?.Type ?? "",
            SlaveType = f.Slave?.Type ?? "",
            MasterValueDigest = f.Master?.ValueDigest ?? "",
            SlaveValueDigest = f.Slave?.ValueDigest ?? "",
            MasterExpireAtMs = f.Master?.ExpireAtMs.ToString(CultureInfo.InvariantCulture) ?? "",
            SlaveExpireAtMs = f.Slave?.ExpireAtMs.ToString(CultureInfo.InvariantCulture) ?? "",
            Database = f.Database,
        }));
    }
}
