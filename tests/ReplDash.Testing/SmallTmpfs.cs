using System.Diagnostics;

namespace ReplDash.Testing;

/// <summary>
/// A real, small tmpfs mounted by the test (as root) on a folder of its own, so that a disk really fills up:
/// writes fail with ENOSPC exactly as on a full disk. A filler file takes most of the space and deleting it gives
/// the space back. Unmounted and removed on dispose (dispose what uses it first: an open file keeps it busy).
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on <paramref name="path"/> (created if missing).</summary>
    /// <exception cref="InvalidOperationException">mount refused (not root, or no mount permission here).</exception>
    public static SmallTmpfs Mount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new SmallTmpfs(path);
    }

    /// <summary>Free bytes on the file system now.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Fills the file system with a filler file until only about <paramref name="leaveBytes"/> are free.</summary>
    public void FillLeaving(long leaveBytes)
    {
        long size = FreeBytes - leaveBytes;
        if (size <= 0)
            return;
        var block = new byte[64 * 1024];
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            for (long written = 0; written < size; written += block.Length)
                filler.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }
        catch (IOException e) when (e.HResult == 28)
        {
            // ENOSPC: full already, which is what was asked for.
        }
    }

    /// <summary>Gives the filler's space back.</summary>
    public void RemoveFiller() => File.Delete(FillerPath);

    public void Dispose()
    {
        // A lazy unmount still succeeds when something (a killed process's last handle) keeps the mount busy.
        if (!TryRun("umount", Path))
            TryRun("umount", "-l", Path);
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleanup: the mount is gone, which is what matters.
        }
    }

    private static void Run(params string[] args)
    {
        var (exit, error) = Execute(args);
        if (exit != 0)
            throw new InvalidOperationException($"`{string.Join(' ', args)}` failed ({exit}): {error}. The disk-full tests mount a small tmpfs and must run as root.");
    }

    private static bool TryRun(params string[] args) => Execute(args).Exit == 0;

    private static (int Exit, string Error) Execute(string[] args)
    {
        var start = new ProcessStartInfo(args[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args[1..])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
