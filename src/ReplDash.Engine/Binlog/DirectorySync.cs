using System.Runtime.InteropServices;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// fsync on a directory, so that a newly created or renamed file survives a power loss. .NET has no API
/// for it (a FileStream cannot open a directory), hence libc.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void Fsync(string directory)
    {
        if (!OperatingSystem.IsLinux())
            return;
        int fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
            throw new IOException($"Cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (FsyncFd(fd) != 0)
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
