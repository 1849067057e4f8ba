using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DomainDnsVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DnsToken",
                table: "VerifiedDomains",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DnsVerifiedAt",
                table: "VerifiedDomains",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DnsVerifiedDomain",
                table: "VerifiedDomains",
                type: "nvarchar(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "BreakGlassUsedAt",
                table: "SsoConnections",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BreakGlassUserId",
                table: "SsoConnections",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_VerifiedDomains_DnsVerifiedDomain",
                table: "VerifiedDomains",
                column: "DnsVerifiedDomain",
                unique: true,
                filter: "[DnsVerifiedDomain] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VerifiedDomains_DnsVerifiedDomain",
                table: "VerifiedDomains");

            migrationBuilder.DropColumn(
                name: "DnsToken",
                table: "VerifiedDomains");

            migrationBuilder.DropColumn(
                name: "DnsVerifiedAt",
                table: "VerifiedDomains");

            migrationBuilder.DropColumn(
                name: "DnsVerifiedDomain",
                table: "VerifiedDomains");

            migrationBuilder.DropColumn(
                name: "BreakGlassUsedAt",
                table: "SsoConnections");

            migrationBuilder.DropColumn(
                name: "BreakGlassUserId",
                table: "SsoConnections");
        }
    }
}
