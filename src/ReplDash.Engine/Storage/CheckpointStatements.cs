using Microsoft.Data.Sqlite;
using ReplDash.Engine.Core.Keyspace;
using SQLitePCL;

namespace ReplDash.Engine.Storage;

/// <summary>
/// The checkpoint's per-key statements, prepared once per store and driven through SQLite's own API.
/// A checkpoint writes thousands of keys; through SqliteCommand each one cost a parameter-collection bind
/// with boxed values, which was most of a checkpoint's CPU (bench/replication.sh, docs/BENCHMARKS.md).
/// Also begins and ends the checkpoint's transaction on the same connection (see <see cref="RollBackIfOpen"/>).
/// </summary>
internal sealed class CheckpointStatements : IDisposable
{
    private const string UpsertSql = """
        INSERT INTO kv (db, key, type, value, expire_at_ms) VALUES (?5, ?1, ?2, ?3, ?4)
        ON CONFLICT(db, key) DO UPDATE SET type = excluded.type, value = excluded.value, expire_at_ms = excluded.expire_at_ms
        """;
    private const string DeleteSql = "DELETE FROM kv WHERE db = ?2 AND key = ?1";
    private const string DeleteDatabaseSql = "DELETE FROM kv WHERE db = ?1";
    private const string RelabelDatabaseSql = "UPDATE kv SET db = ?2 WHERE db = ?1";

    // A SWAPDB relabels rows through this database number, which no client can select (ranges are non-negative).
    private const int SwapScratchDatabase = -1;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsert;
    private readonly sqlite3_stmt _delete;
    private readonly sqlite3_stmt _deleteDatabase;
    private readonly sqlite3_stmt _relabelDatabase;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;

    public CheckpointStatements(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        _upsert = Prepare(UpsertSql);
        _delete = Prepare(DeleteSql);
        _deleteDatabase = Prepare(DeleteDatabaseSql);
        _relabelDatabase = Prepare(RelabelDatabaseSql);
        _begin = Prepare("BEGIN");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>Starts the checkpoint's transaction (after rolling back one a failure may have left open).</summary>
    public void Begin()
    {
        RollBackIfOpen();
        Run(_begin);
    }

    /// <summary>Commits the checkpoint's transaction.</summary>
    public void Commit() => Run(_commit);

    /// <summary>
    /// Rolls back after a failed statement or COMMIT, if a transaction is still open. SQLite itself rolls the
    /// transaction back on some errors (SQLITE_FULL among them): a ROLLBACK then fails with "cannot rollback - no
    /// transaction is active", and an unconditional one (SqliteTransaction.Dispose) replaced the real cause (a full
    /// disk) with that message. A failing ROLLBACK never hides the error being handled either.
    /// </summary>
    public void RollBackIfOpen()
    {
        if (raw.sqlite3_get_autocommit(_db) != 0)
            return;
        raw.sqlite3_step(_rollback);
        raw.sqlite3_reset(_rollback);
    }

    /// <summary>Writes one changed key: its current value, or its removal.</summary>
    public void Write(StoredEntry entry)
    {
        if (entry.IsDeleted)
        {
            BindBlob(_delete, 1, entry.Key);
            Check(raw.sqlite3_bind_int(_delete, 2, entry.Database));
            Run(_delete);
            return;
        }
        BindBlob(_upsert, 1, entry.Key);
        Check(raw.sqlite3_bind_int64(_upsert, 2, (long)entry.Type));
        BindBlob(_upsert, 3, entry.Value!);
        Check(raw.sqlite3_bind_int64(_upsert, 4, entry.ExpireAtMs));
        Check(raw.sqlite3_bind_int(_upsert, 5, entry.Database));
        Run(_upsert);
    }

    /// <summary>Deletes every row of one database (FLUSHDB, FLUSHALL).</summary>
    public void DeleteDatabase(int database)
    {
        Check(raw.sqlite3_bind_int(_deleteDatabase, 1, database));
        Run(_deleteDatabase);
    }

    /// <summary>SWAPDB: exchanges the rows of two databases (through a scratch number, as (db, key) is the primary key).</summary>
    public void SwapDatabases(int first, int second)
    {
        Relabel(first, SwapScratchDatabase);
        Relabel(second, first);
        Relabel(SwapScratchDatabase, second);
    }

    private void Relabel(int from, int to)
    {
        Check(raw.sqlite3_bind_int(_relabelDatabase, 1, from));
        Check(raw.sqlite3_bind_int(_relabelDatabase, 2, to));
        Run(_relabelDatabase);
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    // SQLitePCL binds an empty array as a zero-length blob, not NULL ("" is a valid key and value; the
    // columns are NOT NULL): SqliteNodeStoreTests writes both.
    private void BindBlob(sqlite3_stmt statement, int index, byte[] bytes) =>
        Check(raw.sqlite3_bind_blob(statement, index, bytes));

    private void Run(sqlite3_stmt statement)
    {
        int rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
            Check(rc);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _delete.Dispose();
        _deleteDatabase.Dispose();
        _relabelDatabase.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }
}
