#!/usr/bin/env bash
# `make demo`: the service on a fresh demo database holding a synthetic cohort (SPECIALISTS, default 3000; SEED,
# default 42). The database `trajectories_demo` on the project-local cluster is re-created each time.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-5080}"
app="$repo/src/Trajectories"

"$repo/scripts/needs.sh" postgresql
"$repo/scripts/needs.sh" --optional npm
"$repo/scripts/pg.sh" start
admin="$(DB=postgres "$repo/scripts/pg.sh" conn)"
port_db="$(echo "$admin" | sed -E 's/.*Port=([0-9]+).*/\1/')"
psql="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql"
"$psql" -h 127.0.0.1 -p "$port_db" -U postgres -d postgres -qc 'drop database if exists trajectories_demo with (force)' -c 'create database trajectories_demo' >/dev/null
export ConnectionStrings__Marten="$(DB=trajectories_demo "$repo/scripts/pg.sh" conn)"

# The web app at / (web/ built into web/dist); without npm the API still runs and / says how to build it.
"$repo/scripts/web.sh" || echo "demo: the web app could not be built (see above); the API runs without it" >&2
dotnet build "$app" --nologo -v quiet -clp:ErrorsOnly
(cd "$app" && dotnet run --no-build --no-launch-profile -- seed --specialists "${SPECIALISTS:-3000}" --seed "${SEED:-42}" 2>&1 | grep -Ev '^(Searching|for commands|PublicKeyToken)' )
# One key per role, made on the server (the demo database starts with none). Send one as "Authorization: Bearer <key>".
keys="$(mktemp -d)"
trap 'rm -rf "$keys"' EXIT
for spec in "admin::demo admin" "staff::demo staff (all states)" "staff:OR:demo staff (Oregon only)" "analyst::demo analyst" "integration::demo integration"; do
  IFS=: read -r role states name <<<"$spec"
  args=(keys create --role "$role" --name "$name" --out "$keys/key")
  [ -n "$states" ] && args+=(--state "$states")
  (cd "$app" && dotnet run --no-build --no-launch-profile -- "${args[@]}" >/dev/null 2>&1) || { echo "demo: could not create the $role key" >&2; exit 1; }
  printf 'demo: %-40s %s\n' "$name key:" "$(cat "$keys/key")"
done
echo "demo: Trajectories on http://127.0.0.1:$port with the demo cohort: open http://127.0.0.1:$port/ and sign in with a key above (or try curl -H 'Authorization: Bearer <analyst key>' http://127.0.0.1:$port/api/retention/peer-work?groupBy=state, or /docs)"
cd "$app"
exec dotnet run --no-build --no-launch-profile -- --urls "http://127.0.0.1:$port"
