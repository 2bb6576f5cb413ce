// Generates the test PKI described in pki-spec.ts into certs-fixtures/out/.
// Keys are kept once made (so re-runs give the same certificates: fixed serials, dates and
// RSA signatures); `--force` makes new keys. Usage: tsx certs-fixtures/generate.ts [--force]
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { x509 } from '../src/certs/x509.js';
import { OUT_DIR } from './paths.js';
import { CERTS, PKI_HTTP_BASE, type CertSpec, type HashName, type KeySpec } from './pki-spec.js';

const subtle = webcrypto.subtle;

export { OUT_DIR };

function keyGenAlgorithm(spec: KeySpec): RsaHashedKeyGenParams | EcKeyGenParams {
  if (spec.startsWith('RSA')) {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(spec.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
  return { name: 'ECDSA', namedCurve: spec === 'EC-P256' ? 'P-256' : 'P-384' };
}

/** Import a stored PKCS#8 key for signing with the given hash (WebCrypto binds RSA keys to one hash). */
async function importSigningKey(pkcs8: ArrayBuffer, spec: KeySpec, hash: HashName): Promise<CryptoKey> {
  const alg = spec.startsWith('RSA')
    ? { name: 'RSASSA-PKCS1-v1_5', hash }
    : { name: 'ECDSA', namedCurve: spec === 'EC-P256' ? 'P-256' : 'P-384' };
  return subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
}

function signingAlgorithm(issuerKey: KeySpec, hash: HashName): Algorithm | EcdsaParams {
  return issuerKey.startsWith('RSA') ? { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm : { name: 'ECDSA', hash } as EcdsaParams;
}

async function loadOrCreateKey(spec: CertSpec, force: boolean): Promise<{ pkcs8: ArrayBuffer; spki: ArrayBuffer }> {
  const file = join(OUT_DIR, `${spec.name}.key.pem`);
  if (!force && existsSync(file)) {
    const pkcs8 = x509.PemConverter.decodeFirst(readFileSync(file, 'utf8'));
    const priv = await subtle.importKey('pkcs8', pkcs8, keyGenAlgorithm(spec.key), true, ['sign']);
    const jwk = await subtle.exportKey('jwk', priv);
    delete jwk.d; delete jwk.p; delete jwk.q; delete jwk.dp; delete jwk.dq; delete jwk.qi;
    jwk.key_ops = ['verify'];
    const pub = await subtle.importKey('jwk', jwk, keyGenAlgorithm(spec.key), true, ['verify']);
    return { pkcs8, spki: await subtle.exportKey('spki', pub) };
  }
  const pair = await subtle.generateKey(keyGenAlgorithm(spec.key), true, ['sign', 'verify']) as CryptoKeyPair;
  const pkcs8 = await subtle.exportKey('pkcs8', pair.privateKey);
  writeFileSync(file, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), { mode: 0o600 });
  return { pkcs8, spki: await subtle.exportKey('spki', pair.publicKey) };
}

function jsonName(attrs: [string, string][]): x509.JsonName {
  const ids: Record<string, string> = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', T: '2.5.4.12' };
  return attrs.map(([type, value]) => {
    const oid = ids[type] ?? type;
    // Country is PrintableString by X.520; everything else UTF8String as Vietnamese CAs issue.
    return { [oid]: [oid === '2.5.4.6' ? { printableString: value } : { utf8String: value }] };
  }) as unknown as x509.JsonName;
}

const KU: Record<string, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature, nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment, dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign, cRLSign: x509.KeyUsageFlags.cRLSign,
};
const EKU: Record<string, string> = { clientAuth: '1.3.6.1.5.5.7.3.2', emailProtection: '1.3.6.1.5.5.7.3.4' };

interface Made { spec: CertSpec; cert: x509.X509Certificate; pkcs8: ArrayBuffer; publicKey: CryptoKey }

export async function generate(force = false): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const made = new Map<string, Made>();
  for (const spec of CERTS) {
    const { pkcs8, spki } = await loadOrCreateKey(spec, force);
    const publicKey = await subtle.importKey('spki', spki, keyGenAlgorithm(spec.key), true, ['verify']);
    const issuer = spec.issuer ? made.get(spec.issuer) : undefined;
    if (spec.issuer && !issuer) throw new Error(`issuer ${spec.issuer} must come before ${spec.name}`);
    const issuerSpec = issuer?.spec ?? spec;
    const signingKey = await importSigningKey(issuer?.pkcs8 ?? pkcs8, issuerSpec.key, spec.hash);
    const exts: x509.Extension[] = [];
    if (spec.ca) exts.push(new x509.BasicConstraintsExtension(true, spec.ca.pathLength, true));
    else exts.push(new x509.BasicConstraintsExtension(false, undefined, true));
    if (spec.keyUsage) exts.push(new x509.KeyUsagesExtension(spec.keyUsage.reduce((f, u) => f | KU[u], 0), true));
    if (spec.extKeyUsage) exts.push(new x509.ExtendedKeyUsageExtension(spec.extKeyUsage.map((u) => EKU[u] ?? u), spec.extKeyUsageCritical ?? false));
    exts.push(await x509.SubjectKeyIdentifierExtension.create(publicKey));
    exts.push(await x509.AuthorityKeyIdentifierExtension.create(issuer ? issuer.publicKey : publicKey));
    if (spec.revocationUrls && issuer) {
      exts.push(new x509.AuthorityInfoAccessExtension({
        ocsp: [new x509.GeneralName('url', `${PKI_HTTP_BASE}/ocsp/${issuer.spec.name}`)],
        caIssuers: [new x509.GeneralName('url', `${PKI_HTTP_BASE}/aia/${issuer.spec.name}.cer`)],
      }));
      exts.push(new x509.CRLDistributionPointsExtension([`${PKI_HTTP_BASE}/crl/${issuer.spec.name}.crl`]));
    }
    if (spec.email) exts.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: spec.email }]));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: spec.serial,
      subject: jsonName(spec.subject),
      issuer: issuer ? issuer.cert.subjectName : jsonName(spec.subject),
      notBefore: new Date(spec.notBefore),
      notAfter: new Date(spec.notAfter),
      publicKey,
      signingKey,
      signingAlgorithm: signingAlgorithm(issuerSpec.key, spec.hash),
      extensions: exts,
    });
    const pemFile = join(OUT_DIR, `${spec.name}.pem`);
    const pem = cert.toString('pem') + '\n';
    // Keep an existing file when it would only differ by a fresh ECDSA signature.
    if (force || !existsSync(pemFile) || !sameTbs(readFileSync(pemFile, 'utf8'), cert)) {
      writeFileSync(pemFile, pem);
      made.set(spec.name, { spec, cert, pkcs8, publicKey });
    } else {
      made.set(spec.name, { spec, cert: new x509.X509Certificate(readFileSync(pemFile, 'utf8')), pkcs8, publicKey });
    }
  }
  const manifest = CERTS.map((s) => ({ name: s.name, issuer: s.issuer ?? null, file: `${s.name}.pem`, keyFile: `${s.name}.key.pem`, key: s.key, purpose: s.purpose }));
  writeFileSync(join(OUT_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** True when the stored certificate has the same to-be-signed content (ECDSA signatures vary). */
function sameTbs(storedPem: string, fresh: x509.X509Certificate): boolean {
  const stored = new x509.X509Certificate(storedPem);
  const der = (n: x509.Name) => Buffer.from(n.toArrayBuffer());
  return der(stored.subjectName).equals(der(fresh.subjectName)) && der(stored.issuerName).equals(der(fresh.issuerName)) && stored.serialNumber === fresh.serialNumber
    && stored.notBefore.getTime() === fresh.notBefore.getTime() && stored.notAfter.getTime() === fresh.notAfter.getTime()
    && Buffer.from(stored.publicKey.rawData).equals(Buffer.from(fresh.publicKey.rawData))
    && stored.extensions.length === fresh.extensions.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  generate(process.argv.includes('--force')).then(() => console.log(`test PKI written to ${OUT_DIR}`), (e) => {
    console.error(e);
    process.exit(1);
  });
}
