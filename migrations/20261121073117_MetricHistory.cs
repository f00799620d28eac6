using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReplDash.Migrations
{
    public partial class MetricHistory : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MetricSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NodeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResolutionSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    OpsPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    WriteBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    EndLogical = table.Column<long>(type: "INTEGER", nullable: false),
                    DurableLogical = table.Column<long>(type: "INTEGER", nullable: true),
                    AppliedLogical = table.Column<long>(type: "INTEGER", nullable: true),
                    RelaySyncedLogical = table.Column<long>(type: "INTEGER", nullable: true),
                    SentLogical = table.Column<long>(type: "INTEGER", nullable: true),
                    AckedLogical = table.Column<long>(type: "INTEGER", nullable: true),
                    LagBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    LagItems = table.Column<long>(type: "INTEGER", nullable: true),
                    LagMs = table.Column<long>(type: "INTEGER", nullable: true),
                    AckLatencyP50Us = table.Column<long>(type: "INTEGER", nullable: true),
                    AckLatencyP99Us = table.Column<long>(type: "INTEGER", nullable: true),
                    AckLatencyLastUs = table.Column<long>(type: "INTEGER", nullable: true),
                    InFlightItems = table.Column<int>(type: "INTEGER", nullable: true),
                    InFlightBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricSamples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MetricSamples_ResolutionSeconds_TimeUnixMs_NodeId",
                table: "MetricSamples",
                columns: new[] { "ResolutionSeconds", "TimeUnixMs", "NodeId" });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MetricSamples");
        }
    }
}
