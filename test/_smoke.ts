import { readFileSync } from 'node:fs';
import { verifyDocument } from '../src/documents/verify.js';
import { PkiServer } from './support/pki-server.js';
const pki = await new PkiServer().start();
const root = readFileSync('certs-fixtures/out/root-national.pem', 'utf8');
const opts = { validation: { trustAnchors: [root], fetch: pki.fetch, rootsDir: false as const, intermediatesDir: false as const, cacheDir: '/tmp/kd/cache' } };
for (const f of ['p3-false.pdf', 'leaf-org.p7s', 'leaf-person-att.p7s', 'einvoice-vn-einvoice-leaf-person.xml', 'bhxh-vn-bhxh-leaf-org.xml']) {
  const r = await verifyDocument(readFileSync('/tmp/kd/' + f), { content: f.endsWith('.p7s') ? readFileSync('/tmp/kd/data.bin') : undefined, ...opts });
  for (const s of r.signatures) console.log(f, s.format, s.level, s.valid, s.integrity, s.validation.code, s.coversWholeDocument, s.timestamp?.valid, s.signer?.subject.slice(0, 30), s.errors, s.warnings);
}
const t = readFileSync('/tmp/kd/p3-false.pdf'); t[3000] ^= 1;
for (const s of (await verifyDocument(t, opts)).signatures) console.log('tampered', s.valid, s.errors);
await pki.stop();
const t2 = readFileSync('/tmp/kd/p3-false.pdf'); t2[3000] ^= 1;
const x = (await verifyDocument(t2, opts)).signatures[0]; console.log(JSON.stringify(x).slice(0, 600));
