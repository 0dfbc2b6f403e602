#!/usr/bin/env bash
# `make demo`: the service on a fresh demo database holding a synthetic cohort (SPECIALISTS, default 3000; SEED,
# default 42). The database `trajectories_demo` on the project-local cluster is re-created each time.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-5080}"
app="$repo/src/Trajectories"

"$repo/scripts/pg.sh" start
admin="$(DB=postgres "$repo/scripts/pg.sh" conn)"
port_db="$(echo "$admin" | sed -E 's/.*Port=([0-9]+).*/\1/')"
psql="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql"
"$psql" -h 127.0.0.1 -p "$port_db" -U postgres -d postgres -qc 'drop database if exists trajectories_demo with (force)' -c 'create database trajectories_demo' >/dev/null
export ConnectionStrings__Marten="$(DB=trajectories_demo "$repo/scripts/pg.sh" conn)"

dotnet build "$app" --nologo -v quiet -clp:ErrorsOnly
(cd "$app" && dotnet run --no-build --no-launch-profile -- seed --specialists "${SPECIALISTS:-3000}" --seed "${SEED:-42}" 2>&1 | grep -Ev '^(Searching|for commands|PublicKeyToken)' )
echo "demo: Trajectories on http://127.0.0.1:$port with the demo cohort (try /api/retention/peer-work?groupBy=state, /api/retention/cohorts, /docs)"
cd "$app"
exec dotnet run --no-build --no-launch-profile -- --urls "http://127.0.0.1:$port"
