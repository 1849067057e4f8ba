#!/usr/bin/env bash
# Runs every MultiOrg test: domain, data, API (test host), components (bUnit) and browser journeys (Chromium).
# Installs Debian's Chromium and redis-server first when they are missing. Ends with the line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || { echo "Could not install chromium (apt-get install -y chromium)"; exit 1; }
fi

# The two-server tests and the Redis event port start their own redis-server (Debian's) on a loopback port.
if [ ! -x /usr/bin/redis-server ]; then
  echo "Installing redis-server for the two-server tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
    || { echo "Could not install redis-server (apt-get install -y redis-server)"; exit 1; }
fi

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet test MultiOrg.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "No test results were written (build failed?)"
  echo "0 passed, 1 failed"
  exit 1
fi

counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
failed=$(( ${failed:-0} + $(count error || echo 0) + $(count timeout || echo 0) ))
skipped=$(( ${total:-0} - ${executed:-0} ))
if [ "${total:-0}" -eq 0 ]; then
  echo "No tests ran"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "$skipped" -gt 0 ]; then
  echo "${passed:-0} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed:-0} passed, ${failed} failed"
fi
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
