#!/usr/bin/env bash
# The README's run command (`npm run demo`): installs what is missing, then runs the demo.
# Options after --: --port N, --bridge-port N, --pinentry PROGRAM, --no-tls, --reset.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '… %s\n' "$1" >&2; }
step 'Kiểm tra gói Debian cần thiết / checking Debian packages'
bash scripts/system-deps.sh demo
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step 'Lần đầu: cài thư viện npm (khoảng 1–2 phút) / first run: installing npm packages (1–2 minutes)'
  npm ci --no-fund --no-audit
fi
if [ ! -f dist/bin/kyso-bridge.js ]; then
  step 'Biên dịch kyso-bridge / building kyso-bridge'
  npx tsc -p tsconfig.json
fi
step 'Khởi động bản chạy thử / starting the demo'
exec npx tsx scripts/demo.ts "$@"
