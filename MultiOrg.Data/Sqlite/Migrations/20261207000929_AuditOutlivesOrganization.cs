using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditOutlivesOrganization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AuditEntries_Organizations_OrganizationId",
                table: "AuditEntries");

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingAuditRetentionAt",
                table: "SecurityPolicies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PendingAuditRetentionDays",
                table: "SecurityPolicies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeletedOrganizations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeletedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AuditPurgedThroughSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AuditPurgedThroughHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletedOrganizations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeletedOrganizations_DeletedAt",
                table: "DeletedOrganizations",
                column: "DeletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletedOrganizations");

            migrationBuilder.DropColumn(
                name: "PendingAuditRetentionAt",
                table: "SecurityPolicies");

            migrationBuilder.DropColumn(
                name: "PendingAuditRetentionDays",
                table: "SecurityPolicies");

            migrationBuilder.AddForeignKey(
                name: "FK_AuditEntries_Organizations_OrganizationId",
                table: "AuditEntries",
                column: "OrganizationId",
                principalTable: "Organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
