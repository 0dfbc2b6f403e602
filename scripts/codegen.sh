#!/usr/bin/env bash
# Writes Wolverine's handler and endpoint code ahead of time into src/Trajectories/Internal/Generated (the service
# loads it with TypeLoadMode.Static, ADR 15). Run after changing a handler or an endpoint, then commit the folder;
# tests/Trajectories.IntegrationTests/generated_code.cs fails while it is stale.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
# Removed first: code generated for a handler that changed may no longer compile.
rm -rf src/Trajectories/Internal/Generated
dotnet build src/Trajectories --nologo -v quiet -clp:ErrorsOnly
cd src/Trajectories
# The generator reads the configuration but never opens the database.
ConnectionStrings__Marten="Host=127.0.0.1;Port=1;Database=none;Username=none" \
  dotnet bin/Debug/net10.0/Trajectories.dll codegen write | tail -n 1
cd "$repo"
# Built again so the assembly holds what was just written.
dotnet build src/Trajectories --nologo -v quiet -clp:ErrorsOnly
echo "codegen: $(ls src/Trajectories/Internal/Generated/WolverineHandlers | wc -l) files in src/Trajectories/Internal/Generated"
