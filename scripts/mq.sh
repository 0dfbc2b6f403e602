#!/usr/bin/env bash
# Project-local RabbitMQ for `make test` / `make run` (the ingestion listener): a node of our own, on loopback
# ports that are not 5672/25672 (a RabbitMQ of the user's may hold those), with its own name and data folder,
# so both run side by side. Debian's rabbitmq-server package provides the binaries.
#   scripts/mq.sh start   start the node (first free AMQP port from 55672), print its URL
#   scripts/mq.sh stop    stop it
#   scripts/mq.sh status  say whether it runs and where
#   scripts/mq.sh url     print the AMQP URL (amqp://guest:guest@127.0.0.1:PORT/)
# As root the node runs as the `rabbitmq` user (the package's), which owns the data folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
first_port="${TRAJECTORIES_MQ_PORT:-55672}"
bindir=/usr/lib/rabbitmq/bin

die() { echo "mq.sh: $*" >&2; exit 1; }
[ -x "$bindir/rabbitmq-server" ] || die "RabbitMQ is not installed (looked for $bindir/rabbitmq-server); install it: apt-get install rabbitmq-server"

hash="$(echo -n "$repo" | sha1sum | cut -c1-12)"
node="trajectories-$hash@localhost"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u rabbitmq -- env HOME="$base" "$@"; else env HOME="$base" "$@"; fi
}

# Where the node's files live: .data/mq in the repo, or (as root, when the rabbitmq user cannot reach the repo)
# a folder of ours under /var/lib keyed by the repo path.
base="$repo/.data/mq"
if [ "$(id -u)" = 0 ]; then
  id rabbitmq >/dev/null 2>&1 || die "running as root needs the 'rabbitmq' user (apt-get install rabbitmq-server creates it)"
  mkdir -p "$repo/.data"
  if ! runuser -u rabbitmq -- test -x "$repo/.data"; then base="/var/lib/trajectories/$hash/mq"; fi
fi
portfile="$base/port"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctl() { as_owner "$bindir/rabbitmqctl" -n "$node" "$@"; }
running() { [ -f "$portfile" ] && ctl status >/dev/null 2>&1; }
url() { echo "amqp://guest:guest@127.0.0.1:$(cat "$portfile")/"; }

start() {
  if running; then url; return; fi
  mkdir -p "$base"
  [ "$(id -u)" = 0 ] && chown rabbitmq: "$base"
  local port="$first_port"
  # The AMQP port and the inter-node port (AMQP + 1000) must both be free.
  while ! port_free "$port" || ! port_free $((port + 1000)); do
    port=$((port + 1)); [ "$port" -lt $((first_port + 100)) ] || die "no free port in $first_port..$((first_port + 99))"
  done
  echo "$port" > "$portfile"
  cat > "$base/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$port
loopback_users.guest = true
log.file.level = warning
EOF
  [ "$(id -u)" = 0 ] && chown rabbitmq: "$base"/*
  echo "mq.sh: starting RabbitMQ node $node on 127.0.0.1:$port" >&2
  as_owner env \
    RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT=$((port + 1000)) RABBITMQ_CONFIG_FILE="$base/rabbitmq" \
    RABBITMQ_MNESIA_BASE="$base/mnesia" RABBITMQ_LOG_BASE="$base/log" RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" \
    RABBITMQ_PID_FILE="$base/pid" \
    "$bindir/rabbitmq-server" -detached >/dev/null 2>&1 || die "rabbitmq-server did not start; see $base/log"
  ctl wait --timeout 120 "$base/pid" >/dev/null 2>&1 || die "RabbitMQ did not come up within 120 s; see $base/log"
  # The broker is up once it accepts connections on its port.
  for _ in $(seq 1 60); do port_free "$port" || { url; return; }; sleep 1; done
  die "RabbitMQ does not listen on $port; see $base/log"
}

stop() {
  if running; then ctl stop "$base/pid" >/dev/null 2>&1 || true; echo "mq.sh: stopped $node" >&2; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "RabbitMQ $node runs at $(url) (files in $base)"; else echo "RabbitMQ $node is not running (files in $base)"; exit 3; fi ;;
  url) [ -f "$portfile" ] || die "not started (scripts/mq.sh start)"; url ;;
  *) echo "usage: scripts/mq.sh start|stop|status|url" >&2; exit 2 ;;
esac
