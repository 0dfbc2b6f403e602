#!/usr/bin/env bash
# `make test`: every test project, the integration tests on the project-local PostgreSQL and RabbitMQ unless
# TRAJECTORIES_TEST_CONNECTION / TRAJECTORIES_TEST_RABBITMQ are already set, and the web app built first for the
# browser tests (Chromium at /usr/bin/chromium or TRAJECTORIES_CHROMIUM). Screenshots: artifacts/screenshots/. Ends with
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

# dotnet test closes each run with "Passed!  - Failed: 0, Passed: 29, Skipped: 0, Total: 29, ..."
sum() { grep -Eo "$1:[[:space:]]+[0-9]+" "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
[ "$passed" -gt 0 ] || status=1
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $status
