#!/usr/bin/env bash
# The Autobahn WebSocket test suite (kosoku runner, infra.md §3) against /wse/echo of the bench server.
# usage: bench/ws/autobahn.sh [OUTDIR] [kosoku options...]; default excludes 9.* (large messages over
# our limits), 12.* and 13.* (permessage-deflate, not offered). Exit 1 when a case fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/wse-autobahn}"; shift || true
[ $# -gt 0 ] || set -- -x '9.*' -x '12.*' -x '13.*'
swift build -c release --package-path "$here/probe" >&2
[ -x "$here/.venv-ks/bin/kosoku" ] || { python3 -m venv "$here/.venv-ks" && "$here/.venv-ks/bin/pip" install -q kosoku; }
"$here/probe/.build/release/cm-server" 18714 & server=$!
trap 'kill $server' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/18714) 2>/dev/null && break; sleep 0.1; done
"$here/.venv-ks/bin/kosoku" "$@" -o "$out" ws://127.0.0.1:18714/wse/echo
