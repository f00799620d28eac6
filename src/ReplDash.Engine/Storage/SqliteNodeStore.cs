using Microsoft.Data.Sqlite;
using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Storage;

/// <summary>
/// One SQLite database per node holding the keyspace and the binlog position it reflects. Each checkpoint
/// writes the changed keys and the new position in one transaction, so the data and its position can never
/// disagree after a crash (lesson L3). WAL journal with synchronous=FULL: a committed checkpoint survives
/// power loss.
/// </summary>
public sealed class SqliteNodeStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly CheckpointStatements _statements;

    static SqliteNodeStore() => SQLitePCL.Batteries_V2.Init();

    public SqliteNodeStore(string databasePath)
    {
        Path = databasePath;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        // 32 MiB of page cache (the default is 2 MiB): checkpoints of random keys touch most of the table's
        // pages, which SQLite otherwise reads back from the OS at every checkpoint.
        Execute("PRAGMA cache_size=-32768;");
        Execute("""
            CREATE TABLE IF NOT EXISTS applied_position (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                file_number INTEGER NOT NULL,
                file_offset INTEGER NOT NULL,
                logical_offset INTEGER NOT NULL,
                last_origin TEXT NOT NULL,
                last_sequence INTEGER NOT NULL
            );
            """);
        // A master's committed position (readers could see every item before it) at its last checkpoint; a restart
        // keeps the binlog beyond it invisible until the quorum acknowledges it again. Stores written before it existed
        // get the table empty, which reads as "nothing known committed".
        Execute("""
            CREATE TABLE IF NOT EXISTS committed_position (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                file_number INTEGER NOT NULL,
                file_offset INTEGER NOT NULL
            );
            """);
        SchemaVersionFound = NodeStoreSchema.Upgrade(_connection);
        _statements = new CheckpointStatements(_connection);
    }

    /// <summary>The schema version the file had when opened (0: a new file; 1: upgraded from before numbered databases).</summary>
    public int SchemaVersionFound { get; }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The position the stored data reflects.</summary>
    public AppliedState ReadAppliedState()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT file_number, file_offset, logical_offset, last_origin, last_sequence FROM applied_position WHERE id = 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return AppliedState.Empty;
        return new AppliedState(new(reader.GetInt64(0), reader.GetInt64(1)), reader.GetInt64(2),
            new(reader.GetString(3), reader.GetInt64(4)));
    }

    /// <summary>The committed position the last checkpoint recorded (a master's), or null when none was recorded.</summary>
    public BinlogPosition? ReadCommittedPosition()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT file_number, file_offset FROM committed_position WHERE id = 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? new BinlogPosition(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Every stored key, for loading into memory at start.</summary>
    public IEnumerable<StoredEntry> ReadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT key, type, value, expire_at_ms, db FROM kv";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return new StoredEntry((byte[])reader[0], (ValueType)reader.GetInt64(1), (byte[])reader[2], reader.GetInt64(3), reader.GetInt32(4));
    }

    /// <summary>Writes changed keys and the position they reflect, atomically.</summary>
    /// <param name="changes">The keys changed since the last checkpoint.</param>
    /// <param name="state">The position the data reflects.</param>
    /// <param name="committed">A master's committed position at the time (null: left as it was).</param>
    /// <exception cref="SqliteException">The checkpoint was not written (nothing of it is); the error names the cause,
    /// such as SQLITE_FULL for a full disk.</exception>
    public void Checkpoint(DirtyKeys changes, AppliedState state, BinlogPosition? committed = null)
    {
        _statements.Begin();
        try
        {
            foreach (var part in changes.InOrder())
                WriteChanges(part);

            using var position = _connection.CreateCommand();
            position.CommandText = """
                INSERT INTO applied_position (id, file_number, file_offset, logical_offset, last_origin, last_sequence)
                VALUES (1, $file, $offset, $logical, $origin, $sequence)
                ON CONFLICT(id) DO UPDATE SET file_number = excluded.file_number, file_offset = excluded.file_offset,
                    logical_offset = excluded.logical_offset, last_origin = excluded.last_origin, last_sequence = excluded.last_sequence
                """;
            position.Parameters.AddWithValue("$file", state.Position.FileNumber);
            position.Parameters.AddWithValue("$offset", state.Position.Offset);
            position.Parameters.AddWithValue("$logical", state.LogicalOffset);
            position.Parameters.AddWithValue("$origin", state.LastTransactionId.Origin);
            position.Parameters.AddWithValue("$sequence", state.LastTransactionId.Sequence);
            position.ExecuteNonQuery();
            if (committed is { } known)
                WriteCommittedPosition(known);
            _statements.Commit();
        }
        catch
        {
            // The transaction is managed here rather than by SqliteTransaction, whose Dispose rolls back
            // unconditionally: see CheckpointStatements.RollBackIfOpen.
            _statements.RollBackIfOpen();
            throw;
        }
    }

    private void WriteCommittedPosition(BinlogPosition committed)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO committed_position (id, file_number, file_offset) VALUES (1, $file, $offset)
            ON CONFLICT(id) DO UPDATE SET file_number = excluded.file_number, file_offset = excluded.file_offset
            """;
        command.Parameters.AddWithValue("$file", committed.FileNumber);
        command.Parameters.AddWithValue("$offset", committed.Offset);
        command.ExecuteNonQuery();
    }

    /// <summary>One set of changes, in the order <see cref="DirtyKeys"/> defines, inside the checkpoint's transaction.</summary>
    private void WriteChanges(DirtyKeys changes)
    {
        if (changes.FlushedAll)
            Execute("DELETE FROM kv;");
        foreach (var (first, second) in changes.Swaps)
            _statements.SwapDatabases(first, second);
        foreach (int database in changes.FlushedDatabases)
            _statements.DeleteDatabase(database);
        foreach (var entry in changes.Entries)
            _statements.Write(entry);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _statements.Dispose();
        _connection.Dispose();
    }
}
