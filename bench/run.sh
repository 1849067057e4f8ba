#!/usr/bin/env bash
# Issue 8's benchmarks in one command: builds, generates (or reuses) the world, runs the in-process figures, the
# members-page findings, client onboarding (issue 4), the idle-circuit driver (real app + Chromium), and rewrites bench/results/latest.md with charts.
# About 8-12 minutes on a 2-core machine (the first run adds ~15 s to generate the world into bench/.data/).
# BENCH_SKIP_CIRCUITS=1 skips the browser part.
# `bench/run.sh faults` runs only issue 26's fault figures (about 2 minutes: real servers, PostgreSQL, redis-server,
# Chromium) into bench/results/faults.md and faults.json.
set -euo pipefail
cd "$(dirname "$0")/.."

(cd bench && dotnet tool restore >/dev/null)
dotnet build MultiOrg.sln -c Release -nologo -v quiet
bench() { dotnet bench/MultiOrg.Bench/bin/Release/net10.0/MultiOrg.Bench.dll "$@"; }

if [ "${1:-}" = "faults" ]; then
  bench faults
  rm -f bench/.data/faults.db{,-wal,-shm}
  echo "Results: bench/results/faults.md"
  exit 0
fi

rm -f bench/results/*.json bench/results/load.txt
bench generate
bench inprocess
bench plans
bench findings
bench onboarding
bench import
if [ "${BENCH_SKIP_CIRCUITS:-0}" != "1" ]; then
  bench circuits 10,50,100
fi
bench report

# The per-run copies of the world; the cached world itself stays for the next run.
rm -f bench/.data/{inprocess,plans,findings,findings-plans,onboarding,circuits,import}.db{,-wal,-shm} bench/.data/counters.json
rm -rf bench/.data/import-mail
echo "Results: bench/results/latest.md"
