using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.SqlServer.Migrations
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
                type: "datetime2",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SecurityPolicies",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequireTwoFactor = table.Column<bool>(type: "bit", nullable: false),
                    PasswordMinLength = table.Column<int>(type: "int", nullable: false),
                    PasswordRequireDigit = table.Column<bool>(type: "bit", nullable: false),
                    PasswordRequireUpperAndLower = table.Column<bool>(type: "bit", nullable: false),
                    PasswordRequireSymbol = table.Column<bool>(type: "bit", nullable: false),
                    PasswordRulesTightenedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    IdleTimeoutMinutes = table.Column<int>(type: "int", nullable: true),
                    IpAllowList = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: false),
                    AuditRetentionDays = table.Column<int>(type: "int", nullable: true),
                    AuditPurgedThroughSequence = table.Column<long>(type: "bigint", nullable: false),
                    AuditPurgedThroughHash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
