#!/usr/bin/env bash
# The README's run command (`npm run demo`): installs what is missing, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh demo
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
[ -f dist/bin/kyso-bridge.js ] || npx tsc -p tsconfig.json
exec npx tsx scripts/demo.ts "$@"
