#!/usr/bin/env bash
# Installs what WSE's tests need on a fresh Debian machine (idempotent; root required).
# Debian packages: SQLite headers (GRDB), PostgreSQL and nginx (the store and cluster tests start throw-away servers of their
# own with its initdb/pg_ctl, as the user postgres the package creates), Kamailio + sipp (SIP interop),
# Chromium (browser tests).
# PyPI: the browser-test driver and WebSocket client.
set -euo pipefail

apt_packages=(
  libsqlite3-dev sqlite3 libxml2-dev
  postgresql nginx
  kamailio kamailio-presence-modules kamailio-websocket-modules kamailio-sqlite-modules sip-tester
  chromium chromium-driver
)
apt_packages+=(openssl)  # Tests/WSEAppTests/NodeTLSTests make their certificates with it
python_packages=(pytest selenium websockets)
python_packages+=(spyne lxml)  # the Parlay X SMS server (SOAP) of the SOAP connector's tests and of `wse demo`
python_packages+=(schemathesis)  # Tests/api: the node's OpenAPI document against a live `wse demo`

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

py_missing=()
for p in "${python_packages[@]}"; do
  python3 -c "import $p" 2>/dev/null || py_missing+=("$p")
done
if [ ${#py_missing[@]} -gt 0 ]; then
  echo "==> pip install ${py_missing[*]}"
  python3 -m pip install -q "${py_missing[@]}"
fi
echo "==> test dependencies present"
