#!/usr/bin/env bash
# `make test`: every test project, the integration tests on the project-local PostgreSQL and RabbitMQ unless
# TRAJECTORIES_TEST_CONNECTION / TRAJECTORIES_TEST_RABBITMQ are already set, and the web app built first for the
# browser tests (Chromium at /usr/bin/chromium or TRAJECTORIES_CHROMIUM), then the web app's Vitest unit tests.
# Screenshots: artifacts/screenshots/. Ends with
# "N passed, N failed[, N skipped]" over all runs.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# What the suite needs from Debian, installed when missing (scripts/needs.sh says how, or what to run).
need=(npm chromium)
[ -z "${TRAJECTORIES_TEST_CONNECTION:-}" ] && need+=(postgresql)
[ -z "${TRAJECTORIES_TEST_RABBITMQ:-}" ] && need+=(rabbitmq-server)
scripts/needs.sh "${need[@]}" || { echo "0 passed, 1 failed"; exit 1; }

if [ -z "${TRAJECTORIES_TEST_CONNECTION:-}" ]; then
  scripts/pg.sh start || exit 1
  export TRAJECTORIES_TEST_CONNECTION="$(DB=postgres scripts/pg.sh conn)"
fi
if [ -z "${TRAJECTORIES_TEST_RABBITMQ:-}" ]; then
  url="$(scripts/mq.sh start)" || { echo "0 passed, 1 failed"; exit 1; }
  export TRAJECTORIES_TEST_RABBITMQ="$url"
fi

# The browser tests (tests/Trajectories.IntegrationTests/Web) drive the built web app in Debian's Chromium.
scripts/web.sh || { echo "0 passed, 1 failed"; exit 1; }
dotnet build Trajectories.sln --nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
status=0
for project in tests/*/*.csproj; do
  echo "== $project"
  dotnet test "$project" --no-build --nologo 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# The web app's unit tests (Vitest); their last line is "N passed, N failed".
echo "== web (Vitest)"
web_log="$(mktemp)"
scripts/web-test.sh 2>&1 | tee "$web_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
read -r web_passed web_failed < <(tail -n 1 "$web_log" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/')
rm -f "$web_log"

# dotnet test closes each run with "Passed!  - Failed: 0, Passed: 29, Skipped: 0, Total: 29, ..."
sum() { grep -Eo "$1:[[:space:]]+[0-9]+" "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(( $(sum Passed) + ${web_passed:-0} )); failed=$(( $(sum Failed) + ${web_failed:-1} )); skipped=$(sum Skipped)
rm -f "$log"
[ "$passed" -gt 0 ] || status=1
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
