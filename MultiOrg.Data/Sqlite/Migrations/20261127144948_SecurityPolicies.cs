using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SecurityPolicies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PasswordChangedAt",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SecurityPolicies",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequireTwoFactor = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordMinLength = table.Column<int>(type: "INTEGER", nullable: false),
                    PasswordRequireDigit = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordRequireUpperAndLower = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordRequireSymbol = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordRulesTightenedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IdleTimeoutMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    IpAllowList = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    AuditRetentionDays = table.Column<int>(type: "INTEGER", nullable: true),
                    AuditPurgedThroughSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AuditPurgedThroughHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityPolicies", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_SecurityPolicies_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SecurityPolicies");

            migrationBuilder.DropColumn(
                name: "PasswordChangedAt",
                table: "AspNetUsers");
        }
    }
}
