#!/usr/bin/env bash
# The one place that knows which Debian packages the project's commands need, and installs the missing ones.
#   scripts/needs.sh PACKAGE...             every package is required: install what is missing or exit non-zero
#   scripts/needs.sh --optional PACKAGE...  install what can be had; never fails (the caller checks and says what is off)
# Packages: make postgresql rabbitmq-server npm chromium (npm brings nodejs).
# As root it runs apt-get itself. Otherwise, with sudo and a terminal, it asks first and uses sudo. Otherwise it
# prints the one command to run and exits 1. TRAJECTORIES_NO_INSTALL=1 never installs (only says what is missing).
set -uo pipefail

optional=0
if [ "${1:-}" = --optional ]; then optional=1; shift; fi

# How each package is recognised as installed (a binary it ships, at the path the scripts use).
present() {
  case "$1" in
    make) command -v make >/dev/null 2>&1 ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ;;
    rabbitmq-server) [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] ;;
    npm) command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 ;;
    chromium) [ -x "${TRAJECTORIES_CHROMIUM:-/usr/bin/chromium}" ] ;;
    *) echo "needs.sh: unknown package '$1'" >&2; exit 2 ;;
  esac
}

missing=()
for p in "$@"; do present "$p" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

# nodejs comes with npm's dependencies, but naming it keeps an old npm from being paired with no node.
packages=()
for p in "${missing[@]}"; do
  if [ "$p" = npm ]; then packages+=(nodejs npm); else packages+=("$p"); fi
done
command_line="apt-get update && apt-get install -y --no-install-recommends ${packages[*]}"

give_up() {
  if [ "$optional" = 1 ]; then
    echo "needs.sh: not installed: ${missing[*]} ($1); to install: sudo sh -c '$command_line'" >&2
    exit 0
  fi
  echo "needs.sh: missing ${missing[*]} ($1); install with: sudo sh -c '$command_line'" >&2
  exit 1
}

[ "${TRAJECTORIES_NO_INSTALL:-0}" = 1 ] && give_up "TRAJECTORIES_NO_INSTALL=1"
command -v apt-get >/dev/null 2>&1 || give_up "no apt-get on this machine"

if [ "$(id -u)" = 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
  read -r -p "needs.sh: install ${packages[*]} with sudo apt-get? [Y/n] " answer
  case "${answer:-y}" in [Yy]*) run=(sudo) ;; *) give_up "declined" ;; esac
else
  give_up "not root, and no terminal to ask for sudo"
fi

echo "needs.sh: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { "${run[@]}" apt-get update -qq && "${run[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"; } \
    >/tmp/trajectories-apt.log 2>&1; then
  tail -n 5 /tmp/trajectories-apt.log >&2
  give_up "apt-get failed, its log is /tmp/trajectories-apt.log"
fi

still=()
for p in "${missing[@]}"; do present "$p" || still+=("$p"); done
if [ ${#still[@]} -gt 0 ]; then missing=("${still[@]}"); give_up "installed, but still not found"; fi
exit 0
