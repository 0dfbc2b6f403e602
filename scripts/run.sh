#!/usr/bin/env bash
# `make run`: the service in the foreground on http://127.0.0.1:$PORT. A configured connection string
# (ConnectionStrings__Marten in the environment, or ConnectionStrings:Marten in appsettings) wins; otherwise the
# project-local PostgreSQL is started (scripts/pg.sh) and used.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-5080}"
app="$repo/src/Trajectories"

configured_in_appsettings() {
  local f
  for f in "$app/appsettings.json" "$app/appsettings.${ASPNETCORE_ENVIRONMENT:-Production}.json"; do
    [ -f "$f" ] && python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if (d.get("ConnectionStrings") or {}).get("Marten") else 1)' "$f" 2>/dev/null && return 0
  done
  return 1
}

if [ -n "${ConnectionStrings__Marten:-}" ]; then
  echo "run: using ConnectionStrings__Marten from the environment (no local cluster started)"
elif configured_in_appsettings; then
  echo "run: using ConnectionStrings:Marten from appsettings (no local cluster started)"
else
  "$repo/scripts/needs.sh" postgresql
  "$repo/scripts/pg.sh" start
  export ConnectionStrings__Marten="$("$repo/scripts/pg.sh" conn)"
fi

# RabbitMQ and npm are optional here: installed when they can be, else the listener or the web app is off.
"$repo/scripts/needs.sh" --optional rabbitmq-server npm

# The RabbitMQ ingestion listener: a configured Ingest__RabbitMq__Uri wins; else the project's own node when
# RabbitMQ is installed (scripts/mq.sh); else the listener stays off (HTTP and file ingestion still work).
if [ -n "${Ingest__RabbitMq__Uri:-}" ]; then
  echo "run: RabbitMQ listener on Ingest__RabbitMq__Uri from the environment"
elif [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  export Ingest__RabbitMq__Uri="$("$repo/scripts/mq.sh" start)"
  echo "run: RabbitMQ listener on queue ${Ingest__RabbitMq__Queue:-trajectories.ingest} at $Ingest__RabbitMq__Uri"
else
  echo "run: RabbitMQ is not installed; the RabbitMQ listener is off (HTTP and file ingestion work)"
fi

# The web app at / (web/ built into web/dist); without npm the API still runs and / says how to build it.
"$repo/scripts/web.sh" || echo "run: the web app could not be built (see above); the API runs without it" >&2
dotnet build "$app" -c "${CONFIGURATION:-Debug}" --nologo -v quiet -clp:ErrorsOnly
echo "run: Trajectories on http://127.0.0.1:$port  (web app: http://127.0.0.1:$port/ - sign in with a key from \`make key\`; API docs: http://127.0.0.1:$port/docs, OpenAPI: /openapi/v1.json; Ctrl+C stops it, \`make stop\` stops the database)"
cd "$app"
exec dotnet run --no-build -c "${CONFIGURATION:-Debug}" --no-launch-profile -- --urls "http://127.0.0.1:$port"
