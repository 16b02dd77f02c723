#!/usr/bin/env bash
# The node's CPU per delivered fan-out event and per connector IN push (bench/cost/driver.py), for one or
# more release binaries, alternating them ROUNDS times so that they share the machine's conditions:
#   bench/cost/run.sh ROUNDS LABEL=BINARY [LABEL=BINARY ...] [-- driver options]
#   e.g. bench/cost/run.sh 2 before=/tmp/wse-before/wse after=.build/release/wse -- --sessions 500
# A binary needs its resource bundles beside it (swift build -c release --product wse puts them there).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c 'import uvloop' 2> /dev/null || { echo "uvloop is missing: pip install uvloop" >&2; exit 2; }
rounds=$1; shift
binaries=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do binaries+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
for ((round = 1; round <= rounds; round++)); do
    for entry in "${binaries[@]}"; do
        python3 bench/cost/driver.py --label "${entry%%=*}" --wse-binary "${entry#*=}" "$@"
    done
done
