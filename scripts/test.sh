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

run_suite() {  # name, command...
  local name=$1; shift
  echo "==> $name: $*"
  local start=$SECONDS
  if "$@" 2>&1 | tee "$logs/$name.log"; then
    echo "==> $name passed in $((SECONDS - start)) s"
  else
    echo "==> $name FAILED in $((SECONDS - start)) s (log: $logs/$name.log)"
    failed+=("$name")
  fi
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

run_suite build swift build --build-tests
if [ ${#failed[@]} -gt 0 ]; then echo "build failed: no tests run"; echo "0 passed, 1 failed"; exit 1; fi

run_suite swift-tests swift test --skip-build
count "$logs/swift-tests.log" swift

if ls Tests/js/*.test.* >/dev/null 2>&1; then
  run_suite node-tests node --test Tests/js/
  count "$logs/node-tests.log" node
fi
if [ -d Tests/browser ]; then
  run_suite browser-tests python3 -m pytest -q Tests/browser
  count "$logs/browser-tests.log" pytest
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}"
  echo "tests: $passed_count passed, $((failed_count > 0 ? failed_count : ${#failed[@]})) failed"
  exit 1
fi
echo "tests: $passed_count passed, 0 failed"
