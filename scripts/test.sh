#!/usr/bin/env bash
# The whole suite, as CI runs it: types, unit + integration on PGlite, integration again on a
# real PostgreSQL 15 server started here, then Playwright against the production build.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
out=.test-output
rm -rf "$out" && mkdir -p "$out"

bash scripts/ensure-system-packages.sh

echo "── typecheck"
npx tsc --noEmit

echo "── import cycles"
npm run --silent check:cycles

echo "── provider footprint (shared code names no provider)"
npx tsx scripts/provider-footprint.ts --check

echo "── lint"
npx eslint . --max-warnings 0

echo "── unit + integration on PGlite"
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest-pglite.json"

echo "── integration on PostgreSQL 15"
pg_dir=$(mktemp -d /tmp/ih-pg.XXXXXX)
pg_port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
trap 'bash scripts/postgres-server.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
TEST_DATABASE_URL=$(bash scripts/postgres-server.sh start "$pg_dir" "$pg_port")
TEST_DATABASE_URL=$TEST_DATABASE_URL npx vitest run --project integration \
  --reporter=default --reporter=json --outputFile.json="$out/vitest-postgres.json"

echo "── end to end (next build + Playwright on Debian Chromium)"
npx next build >"$out/next-build.log" 2>&1 || { cat "$out/next-build.log"; exit 1; }
echo "── client bundle budget (first-load JS per route, gzipped)"
npx tsx scripts/bundle-budget.ts 2>&1 | tee "$out/bundle-budget.txt"

echo "── two app instances (next start, in-process jobs) on one PostgreSQL 15 server"
TEST_DATABASE_URL=$TEST_DATABASE_URL npx vitest run --project multi-instance \
  --reporter=default --reporter=json --outputFile.json="$out/vitest-multi-instance.json"

npx playwright test

node scripts/test-summary.mjs "$out"
