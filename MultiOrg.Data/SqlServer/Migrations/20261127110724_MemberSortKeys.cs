using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiOrg.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class MemberSortKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SortEmail",
                table: "OrganizationMembers",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SortName",
                table: "OrganizationMembers",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            // Existing memberships get their sort keys from their users (new ones are written by the application).
            migrationBuilder.Sql("UPDATE m SET m.SortEmail = UPPER(COALESCE(u.NormalizedEmail, u.Email, '')), m.SortName = UPPER(COALESCE(u.DisplayName, u.Email, '')) FROM OrganizationMembers m JOIN AspNetUsers u ON u.Id = m.UserId;");

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationMembers_OrganizationId_SortEmail",
                table: "OrganizationMembers",
                columns: new[] { "OrganizationId", "SortEmail" });

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationMembers_OrganizationId_SortName_SortEmail",
                table: "OrganizationMembers",
                columns: new[] { "OrganizationId", "SortName", "SortEmail" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OrganizationMembers_OrganizationId_SortEmail",
                table: "OrganizationMembers");

            migrationBuilder.DropIndex(
                name: "IX_OrganizationMembers_OrganizationId_SortName_SortEmail",
                table: "OrganizationMembers");

            migrationBuilder.DropColumn(
                name: "SortEmail",
                table: "OrganizationMembers");

            migrationBuilder.DropColumn(
                name: "SortName",
                table: "OrganizationMembers");
        }
    }
}
