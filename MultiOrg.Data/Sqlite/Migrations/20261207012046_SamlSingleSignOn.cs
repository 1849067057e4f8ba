using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SamlSingleSignOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Protocol",
                table: "SsoConnections",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "OpenIdConnect");

            migrationBuilder.CreateTable(
                name: "SamlMessageIds",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SamlMessageIds", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "SamlProviders",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IdpEntityId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    IdpSsoUrl = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    IdpCertificate = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    MetadataUrl = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IdpInitiated = table.Column<bool>(type: "INTEGER", nullable: false),
                    EmailAttribute = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    NameAttribute = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ProtectedSpKey = table.Column<string>(type: "TEXT", maxLength: 12000, nullable: false),
                    SpCertificate = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SamlProviders", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_SamlProviders_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SamlMessageIds_ExpiresAt",
                table: "SamlMessageIds",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SamlMessageIds");

            migrationBuilder.DropTable(
                name: "SamlProviders");

            migrationBuilder.DropColumn(
                name: "Protocol",
                table: "SsoConnections");
        }
    }
}
