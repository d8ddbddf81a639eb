#!/usr/bin/env bash
# Start the machine's PostgreSQL 15 (it refuses to run as root: pg_ctlcluster runs it as `postgres`) and make the
# test role and database. Prints the SQLAlchemy URL for POS_TEST_PG_URL. Safe to run again.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pos') THEN CREATE ROLE pos LOGIN PASSWORD 'pos' CREATEDB; END IF;
END $$;
SQL
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'pos_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O pos pos_test"
echo "postgresql+psycopg://pos:pos@127.0.0.1:5432/pos_test"
