using System.Globalization;

namespace ReplDash.Engine.Core.Binlog;

/// <summary>Names of binlog segment files: <c>binlog.000001</c>, <c>binlog.000002</c>, ...</summary>
public static class BinlogFileNames
{
    private const string Prefix = "binlog.";

    /// <summary>The file name of segment <paramref name="fileNumber"/>.</summary>
    public static string SegmentName(long fileNumber) => Prefix + fileNumber.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Reads the segment number from a file name, or false when it is not a segment.</summary>
    public static bool TryParseSegmentName(string fileName, out long fileNumber)
    {
        fileNumber = 0;
        return fileName.StartsWith(Prefix, StringComparison.Ordinal)
            && fileName.Length > Prefix.Length
            && fileName.AsSpan(Prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out fileNumber)
            && fileNumber > 0;
    }
}
