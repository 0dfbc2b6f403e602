#!/usr/bin/env bash
# The web app's unit tests (Vitest, web/src/**/*.test.ts): the pure modules (routing, formatting, forms, the API
# client, the chart registry). Installs the packages first when needed (scripts/web.sh install). Vitest's own report
# comes first; the last line is always "N passed, N failed" (a test file that fails to load counts as one failure).
# Exits non-zero when a test failed or none ran.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$repo/web"
"$repo/scripts/web.sh" install || { echo "0 passed, 1 failed"; exit 1; }

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
(cd "$web" && npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report")
status=$?

# Vitest's JSON report (Jest's format): test counts, and per file a status with no assertions when it did not load.
counts="$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  console.log(r.numPassedTests, r.numFailedTests + broken);
' "$report" 2>/dev/null)" || counts="0 1"
read -r passed failed <<<"$counts"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
