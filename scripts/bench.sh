#!/usr/bin/env bash
# `make bench` (full: 10,000 and 100,000 specialists, writes docs/benchmarks.md) and `make bench-quick`
# (2,000 and 5,000, under 3 minutes, writes bench/results/quick.md), `make bench-ingest` (only the ingestion figure
# and its baselines at 10,000 specialists, about 4 minutes, writes bench/results/ingest.md), `make bench-models`
# (what a Cox model costs, in process, about 2 minutes, writes bench/results/models.md). Release builds,
# project-local PostgreSQL.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
mode="${1:-quick}"
scripts/needs.sh postgresql
scripts/pg.sh start
export TRAJECTORIES_BENCH_CONNECTION="$(DB=postgres scripts/pg.sh conn)"
dotnet build src/Trajectories -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/Trajectories.Bench -c Release --nologo -v quiet -clp:ErrorsOnly
mkdir -p bench/results
if [ "$mode" = full ]; then
  out=docs/benchmarks.md; args=()
elif [ "$mode" = ingest ]; then
  out=bench/results/ingest.md; args=(--ingest-only)
elif [ "$mode" = models ]; then
  out=bench/results/models.md; args=(--models-only)
else
  out=bench/results/quick.md; args=(--quick)
fi
dotnet bench/Trajectories.Bench/bin/Release/net10.0/Trajectories.Bench.dll "${args[@]}" --out "$out"
echo "bench: results in $out"
