#!/usr/bin/env bash
# The README's test command (`npm test`): installs what is missing, builds, runs every suite.
# Two phases: everything in parallel, then one file at a time the suites that must not share the
# machine or a fixed port (see `serial` below).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
npm run build --silent
mkdir -p test-artifacts
rm -f test-artifacts/vitest-*.json
status=0
# Scripts, benches and tests are type-checked too (the build covers src/ and bin/ only).
npx tsc -p tsconfig.check.json || { echo "type check failed: npx tsc -p tsconfig.check.json" >&2; status=1; }
if [ $# -gt 0 ]; then
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-args.json "$@" || status=$?
else
  # Phase 2, one file at a time: suites that assert reaction windows, the package (it installs into
  # /usr and uses port 15976), and those that serve the fixture OCSP/CRL URLs on their fixed port 39180.
  serial=(test/reliability- test/package-deb test/documents-pdf test/daemon-documents test/portal-e2e-documents test/verifier-curl)
  excludes=()
  for f in "${serial[@]}"; do excludes+=(--exclude "${f}*.test.ts"); done
  npx vitest run "${excludes[@]}" --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-main.json || status=$?
  npx vitest run "${serial[@]}" --no-file-parallelism --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-reliability.json || status=$?
fi
# One plain closing line any CI can read.
node -e '
  const fs = require("fs");
  let p = 0, f = 0, s = 0;
  for (const file of fs.readdirSync("test-artifacts").filter((x) => /^vitest-.*\.json$/.test(x))) {
    const r = JSON.parse(fs.readFileSync("test-artifacts/" + file, "utf8"));
    p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + r.numTodoTests;
  }
  console.log(`vitest: ${p} passed, ${f} failed, ${s} skipped`);
' || true
exit $status
