#!/usr/bin/env bash
# Adds a migration with the same name for every provider (SQLite, SQL Server, PostgreSQL), so they never drift apart.
# Usage: scripts/add-migration.sh AddSomething
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer PostgreSql; do
  dotnet ef migrations add "$name" --project MultiOrg.Data --startup-project MultiOrg.Data \
    --context "${provider}MultiOrgDbContext" --output-dir "$provider/Migrations"
done
