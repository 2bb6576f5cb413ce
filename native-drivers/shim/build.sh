#!/usr/bin/env bash
# Builds the fault-injecting PKCS#11 shim into native-drivers/build/ with the system compiler.
# PKCS#11 headers come from Debian's libp11-kit-dev (not copied into the repo): installed with
# apt when we are root and they are missing, otherwise the exact command is printed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out_dir="${KYSO_SHIM_BUILD_DIR:-$here/../build}"
inc=/usr/include/p11-kit-1
pkgs=()
[ -f "$inc/p11-kit/pkcs11.h" ] || pkgs+=(libp11-kit-dev)
command -v cc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null; }
  else
    echo "kyso-fault-shim needs: sudo apt-get install -y ${pkgs[*]}" >&2
    exit 2
  fi
fi
mkdir -p "$out_dir"
out="$out_dir/libkyso-fault-shim.so"
tmp="$out.tmp.$$"
# -fvisibility=hidden: only C_GetFunctionList is exported, like a vendor module.
cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-format-truncation -fPIC -shared -pthread -fvisibility=hidden \
  -I"$inc" -o "$tmp" "$here"/kyso-fault-shim.c "$here"/shim-core.c "$here"/shim-control.c "$here"/shim-state.c "$here"/shim-events.c -ldl
mv -f "$tmp" "$out" # atomic: parallel test workers may build at the same time
echo "$out"
