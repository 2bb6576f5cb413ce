import { readFileSync, writeFileSync } from 'node:fs';
import { signXml } from '../src/documents/xml-dsig.js';
import { fixtureKeySigner } from './support/digest-signers.js';
for (const [file, profile] of [['einvoice', 'vn-einvoice'], ['tokhai', 'vn-tax'], ['bhxh', 'vn-bhxh'], ['einvoice', 'generic']] as const) {
  for (const k of ['leaf-org', 'leaf-person']) {
    const input = readFileSync(`test/fixtures/documents/${file}.xml`);
    const r = await signXml({ content: input, profile, signer: fixtureKeySigner(k), hashAlgorithm: profile === 'generic' ? 'SHA-1' : 'SHA-256' });
    writeFileSync(`/tmp/kd/${file}-${profile}-${k}.xml`, r.output);
    const o = r.output.toString();
    const i = o.indexOf(r.signatureXml);
    console.log(file, profile, k, o.slice(0, i) + o.slice(i + r.signatureXml.length) === input.toString() || 'DIFF');
  }
}
