using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UsedRefreshTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsedRefreshTokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FamilyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    KeepUntil = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FamilyEndedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedRefreshTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsedRefreshTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsedRefreshTokens_FamilyId",
                table: "UsedRefreshTokens",
                column: "FamilyId");

            migrationBuilder.CreateIndex(
                name: "IX_UsedRefreshTokens_KeepUntil",
                table: "UsedRefreshTokens",
                column: "KeepUntil");

            migrationBuilder.CreateIndex(
                name: "IX_UsedRefreshTokens_UserId_FamilyEndedAt",
                table: "UsedRefreshTokens",
                columns: new[] { "UserId", "FamilyEndedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsedRefreshTokens");
        }
    }
}
