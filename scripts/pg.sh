#!/usr/bin/env bash
# Project-local PostgreSQL for `make run` / `make test`: a cluster of our own on a loopback port that is
# not 5432 (a PostgreSQL of the user's may hold that one), so both run side by side.
#   scripts/pg.sh start   init (first time) and start the cluster, create the database, print its URL
#   scripts/pg.sh stop    stop it
#   scripts/pg.sh status  say whether it runs and where its data lives
#   scripts/pg.sh conn    print the Npgsql connection string (DB=name to pick the database)
# initdb and postgres refuse to run as root: as root we run them as the `postgres` user, which owns the data.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db="${DB:-trajectories}"
first_port="${TRAJECTORIES_PG_PORT:-55432}"

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  die "no PostgreSQL server binaries found (looked at pg_config --bindir and /usr/lib/postgresql/*/bin); install them: apt-get install postgresql"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Where the data lives: .data/pg in the repo; as root, only if the postgres user can reach it
# (a clone under /root is not), else a folder of ours under /var/lib keyed by the repo path.
data_dir() {
  local d="$repo/.data/pg"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the cluster (apt-get install postgresql creates it)"
    mkdir -p "$repo/.data"
    if ! runuser -u postgres -- test -x "$repo/.data"; then
      d="/var/lib/trajectories/$(echo -n "$repo" | sha1sum | cut -c1-12)/pg"
    fi
  fi
  echo "$d"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bindir="$(find_bindir)"
data="$(data_dir)"
portfile="$data/trajectories.port"
logfile="$data/../postgres.log"

running() { [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }
port() { cat "$portfile"; }
conn() { echo "Host=127.0.0.1;Port=$(port);Database=${1:-$db};Username=postgres;Password=postgres"; }

init() {
  [ -f "$data/PG_VERSION" ] && return
  echo "pg.sh: creating a cluster in $data" >&2
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$(dirname "$data")"; fi
  as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local p="$first_port"
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p" | as_owner tee "$portfile" >/dev/null
  # Loopback only, no unix socket (its path would depend on where the repo lives); sized for tests.
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $p
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
# For profiling benchmarks (create extension pg_stat_statements in the database to read it).
shared_preload_libraries = 'pg_stat_statements'
fsync = on
CONF
}

start() {
  init
  if ! running; then
    port_free "$(port)" || die "port $(port) on 127.0.0.1 is taken by something else; remove $data or set TRAJECTORIES_PG_PORT and delete $data to re-create"
    as_owner "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start >/dev/null || { tail -n 20 "$logfile" >&2; die "PostgreSQL did not start (log: $logfile)"; }
  fi
  local psql="$bindir/psql"
  if ! "$psql" -h 127.0.0.1 -p "$(port)" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$psql" -h 127.0.0.1 -p "$(port)" -U postgres -d postgres -qc "create database \"$db\"" >/dev/null
  fi
  echo "pg.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$(port), data in $data, database $db" >&2
}

case "${1:-}" in
  start) start ;;
  stop)
    if running; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; echo "pg.sh: stopped ($data)"; else echo "pg.sh: not running ($data)"; fi ;;
  status)
    if running; then echo "running on 127.0.0.1:$(port), data in $data"; else echo "not running, data in $data"; fi ;;
  conn) [ -f "$portfile" ] || die "no cluster yet: run scripts/pg.sh start"; conn "$db" ;;
  *) echo "usage: scripts/pg.sh start|stop|status|conn" >&2; exit 2 ;;
esac
