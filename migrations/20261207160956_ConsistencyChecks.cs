using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReplDash.Migrations
{
    /// <inheritdoc />
    public partial class ConsistencyChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StartedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    MasterId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Nodes = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    BucketRanges = table.Column<string>(type: "TEXT", nullable: false),
                    NextBucket = table.Column<int>(type: "INTEGER", nullable: false),
                    BucketsTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    BucketsDone = table.Column<int>(type: "INTEGER", nullable: false),
                    MarkersIssued = table.Column<int>(type: "INTEGER", nullable: false),
                    ChunksDone = table.Column<int>(type: "INTEGER", nullable: false),
                    KeysCompared = table.Column<long>(type: "INTEGER", nullable: false),
                    DifferingChunks = table.Column<int>(type: "INTEGER", nullable: false),
                    DifferingKeys = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstMarkerPosition = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastMarkerPosition = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RepairOfRunId = table.Column<long>(type: "INTEGER", nullable: true),
                    RecheckRunId = table.Column<long>(type: "INTEGER", nullable: true),
                    RepairedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RepairedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CheckFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    NodeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    KeyHex = table.Column<string>(type: "TEXT", nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Difference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    MasterType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    SlaveType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    MasterValueDigest = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SlaveValueDigest = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    MasterExpireAtMs = table.Column<long>(type: "INTEGER", nullable: true),
                    SlaveExpireAtMs = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CheckFindings_CheckRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "CheckRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CheckFindings_RunId_NodeId",
                table: "CheckFindings",
                columns: new[] { "RunId", "NodeId" });

            migrationBuilder.CreateIndex(
                name: "IX_CheckRuns_StartedUtc",
                table: "CheckRuns",
                column: "StartedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_CheckRuns_Status",
                table: "CheckRuns",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckFindings");

            migrationBuilder.DropTable(
                name: "CheckRuns");
        }
    }
}
