using Microsoft.Data.Sqlite;

namespace ReplDash.Engine.Storage;

/// <summary>
/// Recognises a write that failed because the disk (or the user's quota) is full, and paces the retries.
/// Such a failure is temporary: the node keeps what it could not write in memory, refuses new writes and
/// tries again until space is back (docs/ARCHITECTURE.md, workflow 6). Any other disk error still fails the node.
/// </summary>
public static class OutOfSpace
{
    private const int NoSpaceErrno = 28; // ENOSPC on Linux
    private const int QuotaErrno = 122; // EDQUOT on Linux
    private const int SqliteFull = 13; // SQLITE_FULL: SQLite's own word for ENOSPC
    private const int SqliteIoErrShmSize = 10 | (19 << 8); // SQLITE_IOERR_SHMSIZE

    /// <summary>The first retry comes soon (space is often freed at once); then they slow down to one a second.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts while the disk stays full.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>True when <paramref name="failure"/> is a write refused for lack of space.</summary>
    public static bool Is(Exception failure) => failure switch
    {
        // SQLite reports a WAL index (-shm) it could not grow as an I/O error: on a full disk, that is the cause.
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull || sqlite.SqliteExtendedErrorCode == SqliteIoErrShmSize,
        // .NET on Unix puts the raw errno in HResult of the IOException it raises for a failed write or fsync.
        IOException io => io.HResult is NoSpaceErrno or QuotaErrno,
        _ => false,
    };

    /// <summary>What to tell clients and operators: the system's words for the cause, on one line, without paths.</summary>
    public static string Describe(Exception failure) => failure switch
    {
        SqliteException => "database or disk is full",
        IOException { HResult: QuotaErrno } => "Disk quota exceeded",
        _ => "No space left on device",
    };

    /// <summary>The wait after <paramref name="previous"/>: doubling from <see cref="FirstRetryDelay"/> up to <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan NextRetryDelay(TimeSpan? previous) =>
        previous is not { } last ? FirstRetryDelay : TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, last.Ticks * 2));
}
