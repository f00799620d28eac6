using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ReplDash.Testing;
using ReplDash.Web.Consistency;
using ReplDash.Web.Extensions;
using ReplDash.Web.Store;
using ReplDash.Web.Store.Consistency;

namespace ReplDash.Web.Tests.Consistency;

/// <summary>
/// Findings carry their key's database (migration FindingDatabase). A dashboard store written before it, with a run and
/// its findings and no database column, upgrades in place: the old findings read as database 0 in the run and in every
/// report form, and new findings keep theirs.
/// </summary>
public sealed class FindingDatabaseMigrationTests : IDisposable
{
    private const string MigrationBefore = "20261207190058_UsersAndApiKeys";

    private readonly string _directory = RepositoryPaths.NewTempDirectory("finding-database");

    [Fact]
    public async Task FindingsStoredBeforeTheDatabaseColumn_ReadAsDatabase0_AndNewOnesKeepTheirs()
    {
        string file = Path.Combine(_directory, "dashboard.db");
        var options = new DbContextOptionsBuilder<DashboardDbContext>()
            .UseSqlite($"Data Source={file};Pooling=False", o => o.MigrationsAssembly(DashboardServiceExtensions.MigrationsAssemblyName))
            .Options;
        await using (var context = new DashboardDbContext(options))
            await context.GetService<IMigrator>().MigrateAsync(MigrationBefore);

        // A run and a finding exactly as the previous release stored them.
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            Assert.DoesNotContain("Database", await ColumnsAsync(connection, "CheckFindings"));
            var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO CheckRuns (Id, StartedUtc, EndedUtc, StartedBy, Status, Outcome, MasterId, Nodes, BucketRanges, NextBucket, BucketsTotal,
                    BucketsDone, MarkersIssued, ChunksDone, KeysCompared, DifferingChunks, DifferingKeys)
                VALUES (7, '2026-12-07 16:30:00', '2026-12-07 16:30:05', 'REST client', 'completed', '1 key differs', 'm1', 's1', '0-4096', 4096, 4096,
                    4096, 3, 3, 500, 1, 1);
                INSERT INTO CheckFindings (RunId, NodeId, Key, KeyHex, Bucket, Difference, MasterType, MasterValueDigest, MasterExpireAtMs)
                VALUES (7, 's1', 'key:3', '6b65793a33', 1234, 'MissingOnSlave', 'string', '0123456789012345678901234567890123456789', 0);
                """;
            await insert.ExecuteNonQueryAsync();
        }

        await using (var context = new DashboardDbContext(options))
            await context.Database.MigrateAsync();

        await using (var context = new DashboardDbContext(options))
        {
            var run = await context.CheckRuns.AsNoTracking().Include(r => r.Findings).SingleAsync(r => r.Id == 7);
            var old = Assert.Single(run.Findings);
            Assert.Equal(0, old.Database);
            Assert.Equal("key:3", old.Key);

            var report = CheckReport.From(run, "m1", DateTime.UtcNow);
            Assert.Equal(0, Assert.Single(report.Findings).Database);
            var json = JsonDocument.Parse(JsonSerializer.Serialize(report)).RootElement;
            Assert.Equal(0, json.GetProperty("findings")[0].GetProperty("database").GetInt32());
            var csv = new StringWriter();
            CheckReportCsv.Write(report, csv);
            using var reader = CsvReader.Create(new StringReader(csv.ToString()), null, false);
            Assert.Equal(0, Assert.Single(reader.GetRecords<CsvFinding>()).Database);

            context.CheckFindings.Add(new CheckFindingRecord { RunId = 7, NodeId = "s1", Key = "k", KeyHex = "6b", Bucket = 1, Difference = "Value", Database = 3 });
            await context.SaveChangesAsync();
        }

        await using (var context = new DashboardDbContext(options))
        {
            var databases = await context.CheckFindings.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Database).ToListAsync();
            Assert.Equal([0, 3], databases);
        }
    }

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, string table)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            columns.Add(reader.GetString(0));
        return columns;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
