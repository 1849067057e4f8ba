#!/usr/bin/env bash
# Runs every MultiOrg test: domain, data, API (test host), components (bUnit) and browser journeys (Chromium) on SQLite,
# then the data, domain and API tests again on PostgreSQL (MULTIORG_TEST_DATABASE=PostgreSql; the tests start their own
# throwaway cluster): not the browser journeys, the bUnit components or the classes marked provider-independent. Installs Debian's Chromium, redis-server, postgresql and dnsmasq first when they are
# missing, and the OpenAPI lint and client tools. Ends with the line "N passed, N failed[, N skipped]" over both runs.
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

# The second run starts its own PostgreSQL cluster (initdb and postgres from Debian's package, as the postgres user) in a
# temp folder on a loopback port; the two-server tests run both servers on one PostgreSQL database.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing postgresql for the PostgreSQL run..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || { echo "Could not install postgresql (apt-get install -y postgresql)"; exit 1; }
fi

# The outbound-request tests (and DNS verification) start their own dnsmasq on a loopback port, answering only the names
# they give it. dnsmasq-base is the program without the system service (nothing starts on port 53).
if [ ! -x /usr/sbin/dnsmasq ]; then
  echo "Installing dnsmasq for the name-resolution tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsmasq-base >/dev/null) \
    || { echo "Could not install dnsmasq (apt-get install -y dnsmasq-base)"; exit 1; }
fi

# The SAML tests run a loopback identity provider on Debian's pysaml2 (an implementation independent of MultiOrg's),
# started with /usr/bin/python3 (the python3 on PATH may be another interpreter).
if ! /usr/bin/python3 -c "import saml2" 2>/dev/null; then
  echo "Installing python3-pysaml2 for the SAML tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pysaml2 >/dev/null) \
    || { echo "Could not install python3-pysaml2 (apt-get install -y python3-pysaml2)"; exit 1; }
fi

# Independent SAML checks sign hand-written responses with the xmlsec1 command-line tool (pysaml2 depends on it; named
# here because those tests call it themselves).
if [ ! -x /usr/bin/xmlsec1 ]; then
  echo "Installing xmlsec1 for the SAML tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null) \
    || { echo "Could not install xmlsec1 (apt-get install -y xmlsec1)"; exit 1; }
fi

# The OpenAPI document is linted with Spectral (tools/openapi, npm packages pinned by its package-lock.json) and the API
# client is generated with Kiota (a dotnet tool in dotnet-tools.json). npm ci runs again only when the lock file changed.
if ! command -v npm >/dev/null; then
  echo "Installing Node.js and npm for the OpenAPI lint..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) \
    || { echo "Could not install npm (apt-get install -y nodejs npm)"; exit 1; }
fi
if ! cmp -s tools/openapi/package-lock.json tools/openapi/node_modules/.installed-from-lock.json; then
  echo "Installing the OpenAPI lint tools (npm ci in tools/openapi)..."
  (cd tools/openapi && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-from-lock.json) \
    || { echo "Could not install the OpenAPI lint tools (cd tools/openapi && npm ci)"; exit 1; }
fi
dotnet tool restore >/dev/null || { echo "Could not restore the dotnet tools (dotnet tool restore)"; exit 1; }

# --repeat N runs the whole suite N times (to find tests that fail only sometimes): each run's summary, then every test
# that failed in any run. --sqlite-only skips the PostgreSQL run. Other arguments go to dotnet test; a --filter applies
# to both runs (the PostgreSQL run adds "not a browser journey" to it).
repeat=1
databases=(Sqlite PostgreSql)
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="${2:?--repeat needs a number}"; shift 2 ;;
    --repeat=*) repeat="${1#--repeat=}"; shift ;;
    --sqlite-only) databases=(Sqlite); shift ;;
    --filter) filter="${2:?--filter needs an expression}"; shift 2 ;;
    --filter=*) filter="${1#--filter=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$repeat" in ''|*[!0-9]*|0) echo "--repeat takes a positive whole number, not '$repeat'"; exit 2 ;; esac

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet build MultiOrg.sln -c Release -nologo -v quiet || { echo "The build failed"; echo "0 passed, 1 failed"; exit 1; }

# Browser journeys run once, on SQLite (the two-server journeys bring their own PostgreSQL database); so do the tests
# that never touch a database (house conventions, the OpenAPI lint and client generation) and the classes whose outcome
# does not depend on the provider, marked [Trait("Database", "Independent")] (TestDatabase.Independent says which).
not_browser="FullyQualifiedName!~MultiOrg.Tests.Browser.&FullyQualifiedName!~MultiOrg.Tests.Conventions.&FullyQualifiedName!~OpenApiDocumentTests&Database!=Independent"

total_passed=0; total_failed=0; total_skipped=0; broken=0
for run in $(seq 1 "$repeat"); do
  for database in "${databases[@]}"; do
    dir="$results/$database"; [ "$repeat" -gt 1 ] && dir="$results/run-$run/$database"
    run_filter="$filter"
    if [ "$database" = PostgreSql ]; then run_filter="${filter:+($filter)&}$not_browser"; fi
    started=$SECONDS
    MULTIORG_TEST_DATABASE=$database dotnet test MultiOrg.sln -c Release --no-build --logger "trx;LogFileName=results.trx" \
      --results-directory "$dir" ${run_filter:+--filter "$run_filter"} ${args[@]+"${args[@]}"}
    status=$?
    trx="$dir/results.trx"
    if [ ! -f "$trx" ]; then
      echo "Run $run ($database): no test results were written"
      total_failed=$(( total_failed + 1 )); broken=1; continue
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    count() { local n; n=$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"); echo "${n:-0}"; }
    passed=$(count passed); total=$(count total); executed=$(count executed)
    failed=$(( $(count failed) + $(count error) + $(count timeout) ))
    skipped=$(( ${total:-0} - ${executed:-0} ))
    if [ "${total:-0}" -eq 0 ]; then echo "Run $run ($database): no tests ran"; total_failed=$(( total_failed + 1 )); broken=1; continue; fi
    [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && broken=1
    total_passed=$(( total_passed + ${passed:-0} )); total_failed=$(( total_failed + failed )); total_skipped=$(( total_skipped + skipped ))
    echo "Run $run of $repeat on $database: ${passed:-0} passed, ${failed} failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped") in $(( SECONDS - started )) s"
  done
done

if [ "$repeat" -gt 1 ]; then
  flaky=$(for trx in "$results"/run-*/*/results.trx; do
      db=$(basename "$(dirname "$trx")")
      grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" 2>/dev/null | sed -n "s/.*testName=\"\([^\"]*\)\".*/\1 ($db)/p"
    done | sort | uniq -c | sort -rn)
  if [ -n "$flaky" ]; then echo "Tests that failed in some run (count, name):"; echo "$flaky"; else echo "No test failed in any of the $repeat runs."; fi
fi

if [ "$total_skipped" -gt 0 ]; then
  echo "${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
else
  echo "${total_passed} passed, ${total_failed} failed"
fi
if [ "$broken" -ne 0 ] || [ "$total_failed" -ne 0 ]; then exit 1; fi
