#!/usr/bin/env bash
# Installs the Debian packages kyso-bridge needs for tests and the demo. As root it runs apt-get;
# otherwise it prints the exact command and fails. Usage: scripts/system-deps.sh [test|demo]
set -euo pipefail
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Document verifiers (xmlsec1, pdfsig, qpdf), the portal stores (PostgreSQL, Redis) and the
# package tools (dpkg-deb, lintian, systemd-analyze) are what the tests check our output with.
for p in softhsm2 opensc p11-kit libp11-kit-dev libnss3-tools sqlite3 gcc make libc6-dev \
  xmlsec1 poppler-utils qpdf fonts-dejavu-core postgresql redis-server dpkg-dev fakeroot lintian systemd curl python3; do have_pkg "$p" || need+=("$p"); done
# A PIN dialog: pinentry-tty always works in a terminal; the desktop one is used when present.
have_pkg pinentry-tty || need+=(pinentry-tty)
have_pkg chromium || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
cmd="apt-get install -y ${need[*]}"
if [ "$(id -u)" = "0" ]; then
  echo "kyso-bridge: installing ${need[*]} (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
  fi
else
  echo "kyso-bridge needs these Debian packages: ${need[*]}" >&2
  echo "Run: sudo $cmd" >&2
  exit 1
fi
