#!/usr/bin/env bash
# Times a fresh node's first and second requests of three kinds (registration, list, ingest) on a fresh database of
# the project-local cluster: what pre-generated handlers save (docs/benchmarks.md, issue 18). Build first.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
scripts/pg.sh start >/dev/null
db="traj_first_$$"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export ConnectionStrings__Marten="$(DB="$db" scripts/pg.sh conn)"
key="first-request-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
Auth__BootstrapAdminKey="$key" Logging__LogLevel__Default=Warning \
  dotnet src/Trajectories/bin/Debug/net10.0/Trajectories.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/health/live" >/dev/null; do sleep 0.2; done
t() { curl -s -o /dev/null -w "%{time_total}" -H "Authorization: Bearer $key" "$@"; }
person() { echo "{\"name\":\"A B\",\"state\":\"OR\",\"credential\":\"adult-peer\",\"certificationNumber\":\"$1\",
  \"certifiedOn\":\"2022-01-10\",\"county\":\"Lane\",\"rural\":false,\"mhpsa\":true}"; }
for i in 1 2; do
  echo "registration $i: $(t -H 'Content-Type: application/json' -d "$(person "FR-$$-$i")" \
    "http://127.0.0.1:$port/api/specialists") s"
done
for i in 1 2; do echo "list $i: $(t "http://127.0.0.1:$port/api/specialists") s"; done
for i in 1 2; do
  echo "ingest $i: $(t -H 'Content-Type: application/cloudevents+json' -d "{\"specversion\":\"1.0\",\"id\":\"fr-$$-$i\",
    \"source\":\"urn:first-request\",\"type\":\"org.trajectories.cps.certified.v1\",\"data\":$(person "FI-$$-$i")}" \
    "http://127.0.0.1:$port/api/ingest/events") s"
done
