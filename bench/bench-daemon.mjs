// The daemon for the bench's sign-path runs (sequential round trip, parallel throughput, soak):
// the BUILT bridge (dist/) assembled through startBridge with the options `kyso-bridge serve` would
// pass, but with dialogs answered in-process. Every sign.hash still needs the sign-raw grant and
// still goes through its own consent dialog (the core asks; this object answers at once), so the
// bench measures the bridge's work and not pinentry spawns: the user's time in a real dialog is not
// the bridge's cost. Cold start and idle RSS are measured on the real `kyso-bridge serve`.
//
// Plain JS on purpose (no tsx loader in the measured process). Configured by environment:
//   KYSO_BENCH_DAEMON  JSON {modules, allowOrigins, rawSigningOrigins, pinCacheSeconds, trustAnchorFiles}
//   KYSO_BENCH_PINS    JSON {"<token label>": "<PIN>"}: what getPin answers
//   KYSO_BENCH_HEAP_DIR  when set, SIGUSR2 (or {cmd:'heap'} over IPC) writes a heap snapshot there
//                        (after a GC when run with --expose-gc) and prints `kyso-bench-heap: <file>`
// Prints `kyso-bridge: <url>` like `serve`; on SIGTERM/SIGINT it closes the bridge and prints
// `kyso-bench-dialogs: {"confirm":n,…}` (how many dialogs the core asked for) before exiting.
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// KYSO_BENCH_DIST: another build's dist/ (set by bench/procs.ts from KYSO_BENCH_CLI, for A/B runs).
const dist = process.env.KYSO_BENCH_DIST ? pathToFileURL(`${process.env.KYSO_BENCH_DIST}/`) : new URL('../dist/', import.meta.url);
const { startBridge } = await import(new URL('src/daemon/assemble.js', dist).href);
const { createLogger } = await import(new URL('src/log.js', dist).href);

const options = JSON.parse(process.env.KYSO_BENCH_DAEMON ?? '{}');
const pins = JSON.parse(process.env.KYSO_BENCH_PINS ?? '{}');
const asked = { confirm: 0, getPin: 0, confirmOrigin: 0, confirmRawSigning: 0, chooseCertificate: 0 };

/** The Dialogs seam of src/core/dialogs.ts, answered at once. */
const dialogs = {
  async confirm() { asked.confirm++; },
  async getPin(req) {
    asked.getPin++;
    const pin = pins[req.tokenLabel];
    if (pin === undefined) throw new Error(`bench-daemon: no PIN for token ${req.tokenLabel}`);
    return pin;
  },
  async confirmOrigin() { asked.confirmOrigin++; return true; },
  async confirmRawSigning() { asked.confirmRawSigning++; return true; },
  async chooseCertificate() { asked.chooseCertificate++; return 0; },
};

const log = createLogger({ level: 'warn' });
const bridge = await startBridge({
  port: 0, tls: false,
  modules: options.modules ?? [], allowOrigins: options.allowOrigins ?? [], rawSigningOrigins: options.rawSigningOrigins ?? [],
  trustAnchorFiles: options.trustAnchorFiles ?? [], revocation: 'off', pinCacheSeconds: options.pinCacheSeconds,
  dialogs, log,
});
process.stdout.write(`kyso-bridge: ${bridge.url}\n`);

// Diagnostics for the soak. A heap snapshot only when KYSO_BENCH_HEAP_DIR is set (SIGUSR2, or
// {cmd:'heap'} over IPC); memory readings over IPC ({cmd:'mem', gc}) when bench/procs.ts started us.
const heapDir = process.env.KYSO_BENCH_HEAP_DIR;
function heapSnapshot() {
  if (!heapDir) throw new Error('KYSO_BENCH_HEAP_DIR is not set');
  globalThis.gc?.();
  const file = writeHeapSnapshot(join(heapDir, `bench-daemon-${process.pid}-${Date.now()}.heapsnapshot`));
  process.stderr.write(`kyso-bench-heap: ${file}\n`);
  return file;
}
if (heapDir) process.on('SIGUSR2', heapSnapshot);
if (process.send) {
  process.on('message', (m) => {
    try {
      if (m?.cmd === 'mem') {
        if (m.gc) globalThis.gc?.();
        process.send({ mem: process.memoryUsage(), gc: typeof globalThis.gc === 'function' && !!m.gc });
      } else if (m?.cmd === 'heap') process.send({ file: heapSnapshot() });
    } catch (e) {
      process.send({ error: String(e?.message ?? e) });
    }
  });
  process.on('disconnect', () => stop());
}

let stopping;
function stop() {
  stopping ??= bridge.close().then(() => {
    process.stdout.write(`kyso-bench-dialogs: ${JSON.stringify(asked)}\n`, () => process.exit(0));
  });
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
