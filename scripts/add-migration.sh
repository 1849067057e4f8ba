#!/usr/bin/env bash
# Adds a migration with the same name for both providers, so they never drift apart.
# Usage: scripts/add-migration.sh AddSomething
set -euo pipefail
name="${1:?usage: scripts/add-migration.sh MigrationName}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project MultiOrg.Data --startup-project MultiOrg.Data \
  --context SqliteMultiOrgDbContext --output-dir Sqlite/Migrations
dotnet ef migrations add "$name" --project MultiOrg.Data --startup-project MultiOrg.Data \
  --context SqlServerMultiOrgDbContext --output-dir SqlServer/Migrations
