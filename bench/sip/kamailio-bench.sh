#!/bin/bash
# Runs a SIPBench benchmark against a throwaway Kamailio (scripts/infra/kamailio/kamailio.sh:
# loopback only, digest auth on), with the users the benchmark needs, all with password "pw".
#
#   bench/sip/kamailio-bench.sh notify CONTACTS CHANGES          users watcher, c0 .. c<CONTACTS-1>
#   bench/sip/kamailio-bench.sh register USERS ROUNDS CONCURRENCY   users u0 .. u<USERS-1>
#
# Needs the release build (swift build -c release --product SIPBench, in bench/sip) and Kamailio
# (see scripts/infra/kamailio/kamailio.sh). Kamailio is stopped on exit, also when the run fails.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAMAILIO="$HERE/../../scripts/infra/kamailio/kamailio.sh"
BENCH="$HERE/.build/release/SIPBench"
[ -x "$BENCH" ] || { echo "build first: cd $HERE && swift build -c release --product SIPBench" >&2; exit 1; }

mode="${1:-}"
case "$mode" in
    notify) [ $# -eq 3 ] || { echo "usage: $0 notify CONTACTS CHANGES" >&2; exit 2; }
            users=(watcher:pw); for ((i = 0; i < $2; i++)); do users+=("c$i:pw"); done ;;
    register) [ $# -eq 4 ] || { echo "usage: $0 register USERS ROUNDS CONCURRENCY" >&2; exit 2; }
              users=(); for ((i = 0; i < $2; i++)); do users+=("u$i:pw"); done ;;
    *) echo "usage: $0 notify CONTACTS CHANGES | register USERS ROUNDS CONCURRENCY" >&2; exit 2 ;;
esac

# A free UDP+TCP port pair outside the ephemeral range.
for _ in $(seq 1 50); do
    port=$((21000 + RANDOM % 8000))
    if ! ss -Hlnu "sport = :$port" | grep -q . && ! ss -Hltn "sport = :$port or sport = :$((port + 1))" | grep -q .; then break; fi
done
dir="$(mktemp -d /tmp/wse-kamailio-bench.XXXXXX)"
trap '"$KAMAILIO" stop "$dir"; rm -rf "$dir"' EXIT
KAMAILIO_SHM_MB=256 "$KAMAILIO" start "$dir" "$port" "$((port + 1))" "${users[@]}"
"$BENCH" "$@" "$port"
