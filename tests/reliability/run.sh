#!/usr/bin/env bash
# npm run test:reliability — the heavy proofs of the sync engine (fault matrix over many
# dossiers, SIGKILL crash loop, two workers). PostgreSQL only: set DATABASE_URL.
set -uo pipefail
cd "$(dirname "$0")/../.."
REPORTS="${TEST_REPORT_DIR:-.test-reports/reliability}"
rm -rf "$REPORTS"; mkdir -p "$REPORTS"
if [ -z "${DATABASE_URL:-}" ]; then echo "test:reliability needs DATABASE_URL=postgres://…"; exit 2; fi
npx vitest run --project reliability --reporter=default --reporter=json --outputFile.json="$REPORTS/reliability.json"
status=$?
npx tsx tests/support/summary.ts "$REPORTS/reliability.json" || status=1
exit $status
