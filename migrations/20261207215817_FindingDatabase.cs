using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReplDash.Migrations
{
    /// <summary>
    /// A finding carries the numbered database of its key (a repair re-writes the key there). The column defaults to 0:
    /// findings of runs stored before it read as database 0.
    /// </summary>
    public partial class FindingDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Database",
                table: "CheckFindings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Database",
                table: "CheckFindings");
        }
    }
}
