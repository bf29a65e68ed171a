#!/usr/bin/env bash
# npm test: unit + integration (Vitest), the production build, system tests against the real
# server process, and browser tests (Playwright, Chromium). The embedded database by default;
# with DATABASE_URL=postgres://… every database test runs on that PostgreSQL server instead
# (each test file in a scratch database of its own). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# Node 24, Chromium and its fonts first (installed here when it can): a missing browser is known
# in seconds, not after ten minutes of tests.
bash tests/support/preflight.sh || exit 1
REPORTS="${TEST_REPORT_DIR:-.test-reports}"
rm -rf "$REPORTS"; mkdir -p "$REPORTS"
status=0
step() { printf '\n=== %s ===\n' "$*"; }
engine="PGlite (embedded)"; [ -n "${DATABASE_URL:-}" ] && engine="PostgreSQL"

step "unit + integration tests on $engine"
npx vitest run --project unit --project integration \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json" || status=1

step "production build"
npx remix build || status=1

step "system tests (the real server process) on $engine"
npx vitest run --project system \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/system.json" || status=1

step "browser tests (Chromium), CITIZEN_FRONT=national, on $engine"
E2E_DB=""
if [ -n "${DATABASE_URL:-}" ]; then E2E_DB="$(npx tsx tests/support/scratch-db.ts create)"; fi
CITIZEN_FRONT=national E2E_DATABASE_URL="$E2E_DB" PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" npx playwright test || status=1
if [ -n "$E2E_DB" ]; then npx tsx tests/support/scratch-db.ts drop "$E2E_DB" || true; fi
# The other citizen front (ADR 025) on the embedded database only: the modes differ in the app,
# not in the engine, and the default (national) runs on both.
E2E_REPORTS=("$REPORTS/e2e.json")
if [ -z "${DATABASE_URL:-}" ]; then
  step "browser tests (Chromium), CITIZEN_FRONT=province, on $engine"
  CITIZEN_FRONT=province PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e-province.json" npx playwright test || status=1
  E2E_REPORTS+=("$REPORTS/e2e-province.json")
fi

step "summary ($engine)"
npx tsx tests/support/summary.ts "$REPORTS/vitest.json" "$REPORTS/system.json" "${E2E_REPORTS[@]}" || status=1
exit $status
