#!/bin/bash
# Compiled code per circuit (bench/results/circuit-heap.md, "Per-circuit compiled code"): the app (Release build,
# demo data) with FROM dashboard pages open, a heap dump, TO pages (each opened GAP_MS after the last), a second dump;
# prints the live DynamicMethod and System.Text.Json cache-entry counts of both. Pages are opened one after another,
# GAP_MS apart: System.Text.Json shares emitted accessors only within a second, so tabs opened minutes apart (real
# use) are what a gap over 1000 ms reproduces.
# Usage: bench/circuit-code/measure.sh [FROM=11] [TO=21] [GAP_MS=2000]
set -euo pipefail
FROM=${1:-11}; TO=${2:-21}; export GAP=${3:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$ROOT/bench/.data/circuit-code; mkdir -p "$WORK"; rm -f "$WORK"/x.db* "$WORK"/next* "$WORK"/*.dmp
(cd "$ROOT/bench" && dotnet tool restore >/dev/null)
ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning RateLimits__SignInPerMinute=100000 \
  dotnet "$ROOT/MultiOrg.Web/bin/Release/net10.0/MultiOrg.Web.dll" --urls http://127.0.0.1:5811 --Metrics:Urls=http://127.0.0.1:5812 \
  --ConnectionStrings:MultiOrg="Data Source=$WORK/x.db" --Database:SeedDemoData=true --contentRoot "$ROOT/MultiOrg.Web" > "$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; touch "$WORK/next1"' EXIT
until curl -sf -o /dev/null http://127.0.0.1:5811/health; do sleep 1; done
TOKEN=$(curl -s -X POST http://127.0.0.1:5811/api/auth/login -H 'content-type: application/json' \
  -d '{"email":"olivia.owner@demo.multiorg.test","password":"Demo#2026pass"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])')
ORG=$(curl -s http://127.0.0.1:5811/api/organizations -H "Authorization: Bearer $TOKEN" \
  | python3 -c 'import sys,json;print([o["id"] for o in json.load(sys.stdin) if o["name"]=="Acme Corp"][0])')
export PW=$ROOT/MultiOrg.Tests/bin/Release/net10.0/.playwright BASE=http://127.0.0.1:5811 FLAGS=$WORK
"$PW/node/linux-x64/node" "$ROOT/bench/circuit-code/open-pages.js" olivia.owner@demo.multiorg.test "/organizations/$ORG/dashboard" "$FROM,$TO" > "$WORK/pages.log" 2>&1 &
dump() {
  until grep -q "open $1\$" "$WORK/pages.log"; do sleep 1; done; sleep 5
  curl -s http://127.0.0.1:5812/metrics | grep '^aspnetcore_components_circuit_active'
  (cd "$ROOT/bench" && dotnet dotnet-dump collect -p $APP --type Heap -o "$WORK/$1.dmp" >/dev/null)
}
dump "$FROM"; touch "$WORK/next0"; dump "$TO"
for n in "$FROM" "$TO"; do
  echo "== $n circuits"
  (cd "$ROOT/bench" && dotnet dotnet-dump analyze "$WORK/$n.dmp" -c "dumpheap -live -stat -type System.Reflection.Emit.DynamicMethod" \
    -c "dumpheap -live -stat -type CachingContext+CacheEntry" -c exit) | grep -E "DynamicMethod$|CacheEntry$"
done
