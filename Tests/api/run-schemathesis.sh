#!/usr/bin/env bash
# Runs schemathesis against a live `wse demo`, with the node's own /openapi.yaml:
#   Tests/api/run-schemathesis.sh [max examples per operation, default 25]
# The binary is $WSE_BINARY, else .build/debug/wse (build it first). Every check runs that the
# document can honour (Tests/api/schemathesis.toml says why a few cannot); the run fails on any 5xx,
# any answer the document does not describe, and any schema, header or content-type mismatch.
# Ends with a line "N passed, N failed" counting API operations, like the other suites' closing lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-25}
binary=${WSE_BINARY:-.build/debug/wse}
[ -x "$binary" ] || { echo "no $binary: run swift build first"; echo "0 passed, 1 failed"; exit 1; }
command -v schemathesis >/dev/null || { echo "schemathesis is not installed (pip install schemathesis)"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" demo --port "$port" --database "$work/demo.sqlite" >"$work/demo.log" 2>&1 &
demo=$!
stop() { kill "$demo" 2>/dev/null; wait "$demo" 2>/dev/null; rm -rf "$work"; }
trap stop EXIT

for _ in $(seq 240); do  # up to 120 s: a first start on a loaded machine hashes the demo passwords
  grep -q "WSE demo is ready." "$work/demo.log" && break
  kill -0 "$demo" 2>/dev/null || break
  sleep 0.5
done
if ! grep -q "WSE demo is ready." "$work/demo.log"; then
  echo "wse demo did not start:"; cat "$work/demo.log"; echo "0 passed, 1 failed"; exit 1
fi
token=$(sed -nE 's/^ +admin token +(adm_[A-Za-z0-9_-]+).*/\1/p' "$work/demo.log" | head -1)
[ -n "$token" ] || { echo "no admin token in the demo's banner"; cat "$work/demo.log"; echo "0 passed, 1 failed"; exit 1; }
base="http://127.0.0.1:$port"
export WSE_ADMIN_TOKEN=$token  # schemathesis.toml sends it with every request but connector IN's

# A service of its own, so that connector IN is fuzzed past its key check (schemathesis.toml sends this key there).
export WSE_PROBE_CONNECTOR_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
probe=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$base/admin/v1/services/schemathesis-probe" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"schemathesis-probe\",\"endpoint\":\"http://127.0.0.1:9\",\"connectorKey\":\"$WSE_PROBE_CONNECTOR_KEY\"}")
[ "$probe" = 201 ] || { echo "registering the probe service answered $probe"; echo "0 passed, 1 failed"; exit 1; }

# A provider of its own, so that /provider/v1 is fuzzed past its key check (schemathesis.toml sends this key there).
export WSE_PROBE_PROVIDER_KEY=$(curl -s -X PUT "$base/admin/v1/providers/schemathesis-probe" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"schemathesis probe"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin).get("key", ""))' 2>/dev/null)
[ -n "$WSE_PROBE_PROVIDER_KEY" ] || { echo "registering the probe provider gave no key"; echo "0 passed, 1 failed"; exit 1; }

# Which checks run, and why a few cannot: Tests/api/schemathesis.toml.
config=$(pwd)/Tests/api/schemathesis.toml
# Run from the scratch folder: schemathesis leaves its cache (.schemathesis/) in the working directory.
(cd "$work" && schemathesis --config-file "$config" run "$base/openapi.yaml" --url "$base" \
  --phases examples,coverage,fuzzing \
  --max-examples "$examples" --seed 1 --workers 1 \
  --request-timeout 20 --no-color) 2>&1 | tee "$work/schemathesis.log"
status=${PIPESTATUS[0]}
# The closing line counts API operations: those tested, less those with a failure or an error.
tested=$(sed -nE 's/^ +Tested: ([0-9]+).*/\1/p' "$work/schemathesis.log" | tail -1)
failing=$(sed -n '/^=* \(ERRORS\|FAILURES\) =*$/,/^=* \(WARNINGS\|SUMMARY\) =*$/p' "$work/schemathesis.log" \
  | grep -cE '^_+ [A-Z]+ /.* _+$')
if [ "$status" = 0 ]; then
  echo "${tested:-0} passed, 0 failed"
else
  failing=$((failing > 0 ? failing : 1))
  echo "$(( ${tested:-0} > failing ? ${tested:-0} - failing : 0 )) passed, $failing failed"
fi
exit "$status"
