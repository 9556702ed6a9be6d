#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# Chromium (Playwright drives Debian's build, never a downloaded one) and a PostgreSQL 15 server.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
[ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
