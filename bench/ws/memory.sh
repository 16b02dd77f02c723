#!/usr/bin/env bash
# Memory per idle /wse session. usage: bench/ws/memory.sh [cm|hb|nio] [STEPS]
#   cm  (default) Hummingbird + the real ConnectionManager; every session sends hello and gets welcome
#   hb  HummingbirdWebSocket echo route (deflate off, autoPing off): the layer we did not choose
#   nio lean NIOWebSocket echo handler on the same Hummingbird server: the layer we chose, bare
# The lead's `wse serve` replaces cm-server: run memory.py with its command line instead (see README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="${1:-cm}"
steps="${2:-5000,15000,19000}"
swift build -c release --package-path "$here/probe" >&2
bin="$here/probe/.build/release"
pip show uvloop >/dev/null 2>&1 || echo "note: pip install uvloop makes the load generator leaner" >&2
case "$server" in
  cm) exec python3 "$here/memory.py" --port 18713 --steps "$steps" --hello-token bench:alice \
        --origin https://shop.test -- "$bin/cm-server" 18713 ;;
  hb|nio) exec python3 "$here/memory.py" --port 18712 --steps "$steps" -- "$bin/probe" "$server" 18712 ;;
  *) echo "usage: $0 [cm|hb|nio] [STEPS]" >&2; exit 2 ;;
esac
