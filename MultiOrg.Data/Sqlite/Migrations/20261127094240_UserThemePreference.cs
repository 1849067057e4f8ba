using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UserThemePreference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "PrefersDarkMode",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PrefersDarkMode",
                table: "AspNetUsers");
        }
    }
}
