#!/usr/bin/env bash
# The one command that runs every WSE test on a fresh Debian machine:
#   scripts/test.sh
# It installs what the tests need, builds, then runs the Swift tests (unit, conformance,
# interop with Kamailio, integration on loopback), the node tests of the browser
# libraries and the headless-Chromium tests. Each test starts and stops the servers it
# needs. Exit code 0 only when every suite passed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs="$root/.build/test-logs"
mkdir -p "$logs"

if [ "$(id -u)" = 0 ]; then
  scripts/install-test-deps.sh || { echo "installing test dependencies failed"; exit 1; }
else
  echo "==> not root: skipping installs (run scripts/install-test-deps.sh as root once)"
fi

[ -d ../shared/orc-conformance ] || echo "!! ../shared/orc-conformance is absent: the Orc conformance test will FAIL (it needs the corpus beside the repository)"

failed=()
passed_count=0
failed_count=0

run_suite() {  # name, time limit in minutes, command...
  local name=$1 minutes=$2; shift 2
  echo "==> $name: $*"
  local start=$SECONDS status
  # A hung suite must fail within its limit and say where it hung, not eat the CI's 90 minutes.
  # timeout signals the whole process group, so the test helpers and servers a runner started go too.
  timeout --kill-after=30 "$((minutes * 60))" "$@" 2>&1 | tee "$logs/$name.log"
  status=${PIPESTATUS[0]}
  if [ "$status" = 0 ]; then
    echo "==> $name passed in $((SECONDS - start)) s"
    return
  fi
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "==> $name TIMED OUT after $minutes min; what it had started and not finished:"
    unfinished "$logs/$name.log"
  fi
  echo "==> $name FAILED in $((SECONDS - start)) s (log: $logs/$name.log)"
  failed+=("$name")
}

unfinished() {  # the swift-testing tests a log shows as started and never as passed or failed
  local log=$1
  comm -23 \
    <(sed -nE 's/^◇ Test (.*) started\.$/\1/p' "$log" | grep -v '^case passing' | sort -u) \
    <(sed -nE 's/^[✔✘] Test (.*) (passed|failed) after .*/\1/p' "$log" | sed -E 's/ with [0-9]+ test cases?$//' | sort -u) \
    | sed 's/^/     /'
}

count() {  # adds the counts a runner printed to the totals
  local log=$1 p f
  case $2 in
    swift)
      p=$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
      f=$(grep -Eo 'failed after [0-9.]+ seconds with [0-9]+ issues?' "$log" | tail -1 | grep -Eo '[0-9]+ issues?' | grep -Eo '[0-9]+' || echo 0)
      p=$((p - f)) ;;
    node)
      p=$(grep -E '^# pass ' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
      f=$(grep -E '^# fail ' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0) ;;
    pytest)
      p=$(grep -Eo '[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
      f=$(grep -Eo '[0-9]+ failed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0) ;;
  esac
  passed_count=$((passed_count + ${p:-0})); failed_count=$((failed_count + ${f:-0}))
}

run_suite build 40 swift build --build-tests
if [ ${#failed[@]} -gt 0 ]; then echo "build failed: no tests run"; echo "0 passed, 1 failed"; exit 1; fi

# The kill -9 test at scale (300 sessions, 1,000 pushes/s, three node processes) loads the test process's own
# 2 cores for half a minute: in the same run it would starve other suites' in-process servers into timeouts.
# The integration tests (node, PostgreSQL, nginx and Kamailio processes) run after the others, not beside them:
# together they overloaded 2 cores into the unit suites' 5-10 s deadlines.
heavy=ClusterFailoverAtScaleTests
run_suite swift-tests 20 swift test --skip-build --skip IntegrationTests
count "$logs/swift-tests.log" swift
run_suite swift-integration-tests 20 swift test --skip-build --filter IntegrationTests --skip "$heavy"
count "$logs/swift-integration-tests.log" swift
run_suite swift-tests-at-scale 10 swift test --skip-build --filter "$heavy"
count "$logs/swift-tests-at-scale.log" swift

if ls Tests/js/*.test.* >/dev/null 2>&1; then
  run_suite node-tests 5 node --test Tests/js/
  count "$logs/node-tests.log" node
fi
if [ -d Tests/browser ]; then
  run_suite browser-tests 15 python3 -m pytest -q Tests/browser
  count "$logs/browser-tests.log" pytest
fi
if [ -x scripts/fuzz.sh ]; then  # five libFuzzer targets, 30 s each, about 5 min with their builds
  run_suite fuzz 12 env FUZZ_SEED=1 scripts/fuzz.sh 30
  count "$logs/fuzz.log" pytest
fi
if [ -x Tests/api/run-schemathesis.sh ]; then
  run_suite api-schemathesis 5 Tests/api/run-schemathesis.sh
  count "$logs/api-schemathesis.log" pytest
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}"
  echo "tests: $passed_count passed, $((failed_count > 0 ? failed_count : ${#failed[@]})) failed"
  exit 1
fi
echo "tests: $passed_count passed, 0 failed"
