#!/usr/bin/env bash
# Builds the web app (web/ -> web/dist, which the service serves at /). Packages are installed when node_modules is
# missing or older than package-lock.json; the build itself takes a few seconds. Built files are never committed.
# `npm install` rather than `npm ci`: the lock file holds only the platform packages this registry serves (rollup's
# linux-x64 binary, not the other platforms' optional ones), and `npm ci` refuses such a lock as out of sync;
# `npm install` installs exactly the locked versions and leaves the lock file as it is.
#   scripts/web.sh           install when needed, then build
#   scripts/web.sh install   install when needed, nothing else (scripts/web-test.sh)
# The API's types (web/src/api-types.ts) come from the copy of its OpenAPI document in web/openapi/v1.json; the build
# fails when they no longer match it, or when a page uses a field the document lacks. After a change to the API,
# refresh both from a running service (`make run`, or TRAJECTORIES_URL=http://host:port) and commit them:
#   (cd web && npm run api-types)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$repo/web"
command -v npm >/dev/null 2>&1 || { echo "web: npm is missing (apt-get install nodejs npm, Node.js 20 or later)" >&2; exit 1; }
if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "web: installing packages (npm install from package-lock.json)" >&2
  (cd "$web" && npm install --no-audit --no-fund --loglevel=error) >&2
fi
[ "${1:-}" = install ] && exit 0
(cd "$web" && npm run --silent build -- --logLevel warn) >&2
echo "web: built $web/dist" >&2
