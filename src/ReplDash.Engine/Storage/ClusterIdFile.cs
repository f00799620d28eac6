using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ReplDash.Engine.Storage;

/// <summary>
/// The <c>cluster-id</c> file of a node's folder: the id of the cluster whose data the node holds, 32 lowercase hex
/// characters and a newline. A master chooses it at its first start (or at the first start of a release that knows
/// cluster ids, for a directory written before); a slave adopts its master's on its first link and after every full
/// resync. The replication handshake compares it, so that a slave holding another cluster's data is refused
/// instead of being streamed into (docs/REPLICATION-PROTOCOL.md, "Who may link").
/// </summary>
public static partial class ClusterIdFile
{
    /// <summary>The file's name inside a node's folder.</summary>
    public const string FileName = "cluster-id";

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Shape();

    /// <summary>True when <paramref name="id"/> has a cluster id's shape.</summary>
    public static bool IsValid(string id) => Shape().IsMatch(id);

    /// <summary>A new random cluster id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The id in <paramref name="path"/>, or null when there is no such file; a damaged file is an error, never replaced.</summary>
    public static string? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        var id = File.ReadAllText(path).Trim();
        if (!IsValid(id))
            throw new InvalidDataException(
                $"{path} does not hold a cluster id (32 hex characters); restore it from a node of the same cluster, "
                + "or remove it on a slave to adopt its master's at the next link");
        return id;
    }

    /// <summary>Writes <paramref name="id"/> durably: a temporary file, fsync, rename over the old one, fsync of the folder.</summary>
    public static void Write(string path, string id)
    {
        if (!IsValid(id))
            throw new ArgumentException($"'{id}' is not a cluster id", nameof(id));
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(id + "\n"));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        Binlog.DirectorySync.Fsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
