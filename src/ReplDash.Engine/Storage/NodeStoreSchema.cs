using Microsoft.Data.Sqlite;

namespace ReplDash.Engine.Storage;

/// <summary>
/// The key table of a node store and its upgrades (SQLite's <c>user_version</c> records the version).
/// <list type="bullet">
/// <item>1 (stores written before numbered databases): <c>kv(key PRIMARY KEY, type, value, expire_at_ms)</c>, every key in database 0.</item>
/// <item>2: <c>kv(db, key, type, value, expire_at_ms, PRIMARY KEY (db, key))</c>.</item>
/// </list>
/// A version 1 store is rebuilt in place, in one transaction, with every key in database 0: a crash during the upgrade
/// leaves the version 1 store as it was, and the next start upgrades it again.
/// </summary>
public static class NodeStoreSchema
{
    /// <summary>The version this build writes.</summary>
    public const int CurrentVersion = 2;

    private const string CreateKv = """
        CREATE TABLE {0} (
            db INTEGER NOT NULL,
            key BLOB NOT NULL,
            type INTEGER NOT NULL,
            value BLOB NOT NULL,
            expire_at_ms INTEGER NOT NULL,
            PRIMARY KEY (db, key)
        ) WITHOUT ROWID;
        """;

    /// <summary>Creates the key table of a new store, or upgrades an older one; returns the version found (0: new store).</summary>
    /// <exception cref="InvalidDataException">The store was written by a newer build.</exception>
    public static int Upgrade(SqliteConnection connection)
    {
        long version = Scalar(connection, "PRAGMA user_version;");
        bool hasKv = Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kv';") > 0;
        if (version > CurrentVersion)
            throw new InvalidDataException(
                $"The node store {connection.DataSource} has schema version {version}; this build reads up to {CurrentVersion}.");
        if (!hasKv)
        {
            Run(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, CreateKv, "kv")
                + $"PRAGMA user_version = {CurrentVersion};");
            return 0;
        }
        bool hasDatabaseColumn = Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info('kv') WHERE name = 'db';") > 0;
        if (hasDatabaseColumn)
        {
            if (version != CurrentVersion)
                Run(connection, $"PRAGMA user_version = {CurrentVersion};");
            return CurrentVersion;
        }
        // Version 1: copy every key into database 0 of the new table, then swap the tables, all or nothing.
        Run(connection, "BEGIN IMMEDIATE;"
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, CreateKv, "kv_v2")
            + """
              INSERT INTO kv_v2 (db, key, type, value, expire_at_ms) SELECT 0, key, type, value, expire_at_ms FROM kv;
              DROP TABLE kv;
              ALTER TABLE kv_v2 RENAME TO kv;
              """
            + $"PRAGMA user_version = {CurrentVersion};"
            + "COMMIT;");
        return 1;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            command.ExecuteNonQuery();
        }
        catch
        {
            // A failed upgrade leaves the old table: roll back whatever the batch began.
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            try { rollback.ExecuteNonQuery(); } catch (SqliteException) { /* no transaction was open */ }
            throw;
        }
    }
}
