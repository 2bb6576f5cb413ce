// PDF signing cost by size: `npx tsx bench/documents-pdf.ts [MB] [level]` signs one generated PDF of
// about MB megabytes (visible, key-file RSA signer; level T/LT use a loopback TSA / PKI server) in a
// fresh process and prints wall time and peak RSS as JSON. Figures go in reports, not in tests.
import { signDocument } from '../src/documents/sign-document.js';
import { fixtureKeySigner } from '../test/support/digest-signers.js';
import { samplePdf } from '../test/support/pdf-samples.js';
import { PkiServer } from '../test/support/pki-server.js';
import { TsaServer } from '../test/support/tsa-server.js';

const mb = Number(process.argv[2] ?? 1);
const level = (process.argv[3] ?? 'B') as 'B' | 'T' | 'LT';
const input = await samplePdf({ padBytes: Math.round(mb * 1024 * 1024) });
const tsa = level === 'B' ? undefined : await new TsaServer().start();
const pki = level === 'LT' ? await new PkiServer().start() : undefined;
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const r = await signDocument({
  format: 'pades', content: input, signer: fixtureKeySigner('leaf-org'), level,
  tsa: tsa ? { url: tsa.url } : undefined, revocation: pki ? { fetch: pki.fetch } : undefined,
  options: { pdf: { visible: { page: 1, rect: [40, 40, 300, 110] } } },
});
const ms = performance.now() - t0;
console.log(JSON.stringify({ inputBytes: input.length, outputBytes: r.output.length, level, signMs: Math.round(ms), rssBeforeMiB: Math.round(rssBefore / 1048576), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
await tsa?.stop();
await pki?.stop();
