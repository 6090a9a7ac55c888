#!/usr/bin/env bash
# Creates Temporal's two databases in PostgreSQL if missing and brings their schemas to the
# newest version the schema folder holds. Safe to run again. Used by docker-compose's
# temporal-schema service and by `npm run stack:cluster`, with the variables of production.yaml.
set -euo pipefail
SQL_TOOL="${SQL_TOOL:-temporal-sql-tool}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
export SQL_PLUGIN=postgres12
export SQL_HOST="${TEMPORAL_PG_HOST:-127.0.0.1}"
export SQL_PORT="${TEMPORAL_PG_PORT:-5432}"
export SQL_USER="${TEMPORAL_PG_USER:-postgres}"
export SQL_PASSWORD="${TEMPORAL_PG_PASSWORD:-}"

for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="${pair##*:}"
  # --quiet: an existing database is not an error.
  "$SQL_TOOL" --db "$db" --quiet create-database
  "$SQL_TOOL" --db "$db" setup-schema -v 0.0
  "$SQL_TOOL" --db "$db" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done
