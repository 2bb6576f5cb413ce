#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, builds, runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
npx tsc -p tsconfig.json
exec npx vitest run "$@"
