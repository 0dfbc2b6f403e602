#!/usr/bin/env bash
# `make key ROLE=staff STATES=OR NAME="Lane County staff"`: an API key made on the server with the `keys` command,
# against the database `make run` uses (a configured ConnectionStrings__Marten, else the project-local cluster).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$repo/src/Trajectories"
role="${ROLE:-}"
if [ -z "$role" ]; then
  echo "key: say which role, e.g. make key ROLE=admin (roles: admin, staff, analyst, integration; STATES=OR,WA limits a key)" >&2
  exit 2
fi
if [ -z "${ConnectionStrings__Marten:-}" ]; then
  "$repo/scripts/needs.sh" postgresql
  "$repo/scripts/pg.sh" start >/dev/null
  export ConnectionStrings__Marten="$("$repo/scripts/pg.sh" conn)"
fi
dotnet build "$app" --nologo -v quiet -clp:ErrorsOnly
args=(keys create --role "$role")
[ -n "${STATES:-}" ] && args+=(--state "$STATES")
[ -n "${NAME:-}" ] && args+=(--name "$NAME")
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
(cd "$app" && dotnet run --no-build --no-launch-profile -- "${args[@]}" --out "$out" >/dev/null)
echo "$role key (shown once): $(cat "$out")"
