// `npm run bench:documents`: sign.document over the real API for a 1 MB and a 20 MB PDF (visible
// signature, levels B and LT), as a page does it: the SDK in this process uploads in chunks to
// `kyso-bridge serve` (SoftHSM, scripted pinentry, loopback TSA and fixture PKI server for LT),
// the daemon signs, the SDK downloads. Reports wall time per phase and the daemon's peak RSS
// during each request (sampled from /proc every 20 ms), writes bench/results/documents-latest.json.
// Figures go in reports, never in tests.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WS from 'ws';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import * as K from '../src/client/index.js';
import { verifyDocument } from '../src/documents/verify.js';
import { createFakePinentry } from '../test/support/fake-pinentry.js';
import { samplePdf } from '../test/support/pdf-samples.js';
import { PkiServer } from '../test/support/pki-server.js';
import { freshSoftHsm, tokenSpec } from '../test/support/softhsm.js';
import { TsaServer } from '../test/support/tsa-server.js';
import { cleanupAll, memKb, startDaemon, trackDir } from './procs.js';

const ORIGIN = 'https://bench.example';
const ORG = tokenSpec('KYSO DOANH NGHIEP');
const CASES = [{ mb: 1, level: 'B' }, { mb: 1, level: 'LT' }, { mb: 20, level: 'B' }, { mb: 20, level: 'LT' }] as const;
const WebSocket = class extends WS { constructor(url: string) { super(url, { origin: ORIGIN }); } } as unknown as K.WebSocketCtor;
const mib = (kb: number) => Math.round(kb / 1024);

async function main(): Promise<void> {
  const hsm = freshSoftHsm([ORG]);
  const dir = trackDir(mkdtempSync(join(tmpdir(), 'kyso-bench-docs-')));
  const pinentry = createFakePinentry(join(dir, 'pinentry'));
  const tsa = await new TsaServer().start();
  const pki = await new PkiServer().start(PKI_HTTP_PORT);
  const daemon = await startDaemon(['--no-tls', '--port', '0', '--module', hsm.modulePath, '--pinentry', pinentry.program, '--allow-origin', ORIGIN,
    '--revocation', 'off', '--trust-anchor', join(OUT_DIR, 'root-national.pem'), '--tsa', tsa.url, '--config', join(dir, 'config.json'), '--log-level', 'warn'],
  { ...hsm.env, ...pinentry.env, KYSO_CONFIG_DIR: dir, XDG_CACHE_HOME: join(dir, 'cache') });
  const opts = { url: daemon.url, WebSocket };
  try {
    const certificateId = (await K.listCertificates(opts)).find((c) => c.label === 'leaf-org')!.id;
    const idleKb = memKb(daemon.pid).rss;
    const rows = [];
    for (const c of CASES) {
      const pdf = await samplePdf({ pages: 3, padBytes: c.mb * 1024 * 1024 });
      pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
      let peak = memKb(daemon.pid).rss;
      const before = peak;
      const sampler = setInterval(() => { peak = Math.max(peak, memKb(daemon.pid).rss); }, 20);
      const marks: Record<string, number> = {};
      const t0 = performance.now();
      const r = await K.signDocument(pdf, {
        ...opts, format: 'pades', level: c.level, name: `bench-${c.mb}mb.pdf`, certificateId, options: { pdf: { visible: { page: 1, rect: [40, 40, 300, 110] } } },
      }, { onProgress: (p) => { marks[p.phase] ??= performance.now() - t0; } });
      const totalMs = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, memKb(daemon.pid).rss);
      const report = await verifyDocument(Buffer.from(r.content), { validation: { trustAnchors: [readFileSync(join(OUT_DIR, 'root-national.pem'))], revocation: 'off', rootsDir: false, intermediatesDir: false } });
      rows.push({
        case: `${c.mb} MB PDF, B-${c.level}`, inputBytes: pdf.length, outputBytes: r.size, totalMs: Math.round(totalMs),
        uploadMs: Math.round((marks.sign ?? 0) - (marks.upload ?? 0)), signMs: Math.round((marks.download ?? totalMs) - (marks.sign ?? 0)),
        downloadMs: Math.round((marks.done ?? totalMs) - (marks.download ?? totalMs)),
        daemonRssBeforeMiB: mib(before), daemonPeakRssMiB: mib(peak), verified: report.signatures.every((s) => s.valid),
      });
    }
    const result = { date: new Date().toISOString(), node: process.version, daemonIdleRssMiB: mib(idleKb), daemonVmHwmMiB: hwmMiB(daemon.pid), cases: rows };
    console.table(rows.map(({ inputBytes: _i, outputBytes: _o, ...rest }) => rest));
    console.log(`daemon idle RSS ${result.daemonIdleRssMiB} MiB, lifetime peak (VmHWM) ${result.daemonVmHwmMiB} MiB`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/documents-latest.json', JSON.stringify(result, null, 2));
  } finally {
    K.disconnect();
    await daemon.stop();
    await tsa.stop();
    await pki.stop();
    hsm.cleanup();
    cleanupAll();
  }
}

function hwmMiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? mib(Number(m[1])) : NaN;
}

main().catch((e) => { console.error(e); cleanupAll(); process.exitCode = 1; });
