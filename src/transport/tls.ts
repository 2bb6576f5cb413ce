// TLS material for the loopback server: a per-install CA and one leaf for 127.0.0.1/localhost/::1.
// The CA private key lives only in memory while the leaf is issued, then is dropped: even if
// ca.pem is trusted by the browser, nobody (including malware reading our files) can mint more
// certificates under it. Renewal therefore means a new CA too.
import { X509Certificate as NodeX509, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { X509Certificate as PeculiarX509 } from '@peculiar/x509';

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** True when this call generated new material (first start or renewal). */
  created: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
export const LEAF_VALIDITY_DAYS = 365;
export const CA_VALIDITY_DAYS = 395;
export const RENEW_BEFORE_DAYS = 30;
/** Backdating absorbs small clock differences between here and the browser. */
const BACKDATE_MS = 60 * 60 * 1000;

const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export async function ensureTlsMaterial(dir: string, now: Date = new Date()): Promise<TlsMaterial> {
  const files = { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
  const existing = loadIfUsable(files, now);
  if (existing) return { ...existing, ...files, created: false };

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Two processes starting at once must not interleave their files (key of one, cert of other).
  const release = await lock(join(dir, '.lock'));
  try {
    const other = loadIfUsable(files, now); // someone else may have just made them
    if (other) return { ...other, ...files, created: false };
    const fresh = await generate(now);
    // Key first, then leaf, then CA: a crash in between leaves an unusable set, regenerated next start.
    writeAtomic(files.keyFile, fresh.keyPem, 0o600);
    writeAtomic(files.certFile, fresh.certPem, 0o644);
    writeAtomic(files.caFile, fresh.caPem, 0o644);
    return { ...fresh, ...files, created: true };
  } finally {
    release();
  }
}

/** A lock file (O_EXCL); one left behind by a crashed process is taken over after 30 s. */
async function lock(path: string): Promise<() => void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let stale = false;
      try {
        stale = Date.now() - statSync(path).mtimeMs > 30_000;
      } catch {
        continue; // released meanwhile
      }
      if (stale || Date.now() > deadline) rmSync(path, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The current material if complete, consistent and not close to expiry; otherwise undefined. */
function loadIfUsable(f: { caFile: string; certFile: string; keyFile: string }, now: Date): Omit<TlsMaterial, 'caFile' | 'certFile' | 'keyFile' | 'created'> | undefined {
  if (![f.caFile, f.certFile, f.keyFile].every((p) => existsSync(p))) return undefined;
  try {
    const caPem = readFileSync(f.caFile, 'utf8');
    const certPem = readFileSync(f.certFile, 'utf8');
    const keyPem = readFileSync(f.keyFile, 'utf8');
    const ca = new NodeX509(caPem);
    const leaf = new NodeX509(certPem);
    const key = createPrivateKey(keyPem);
    const t = now.getTime();
    const ok =
      ca.ca &&
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey) &&
      leaf.checkPrivateKey(key) &&
      leaf.checkHost('localhost') !== undefined &&
      leaf.checkIP('127.0.0.1') !== undefined &&
      leaf.checkIP('::1') !== undefined &&
      Date.parse(leaf.validFrom) <= t + BACKDATE_MS &&
      Date.parse(leaf.validTo) - t > RENEW_BEFORE_DAYS * DAY &&
      Date.parse(ca.validTo) - t > RENEW_BEFORE_DAYS * DAY;
    if (!ok) return undefined;
    // Someone loosened the key file: tighten it back rather than regenerate.
    if ((statSync(f.keyFile).mode & 0o077) !== 0) chmodSync(f.keyFile, 0o600);
    return { caPem, certPem, keyPem };
  } catch {
    return undefined; // broken PEM, unreadable file: start over
  }
}

async function generate(now: Date): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  // Loaded only when material is made: most starts reuse it and skip the library's start-up cost.
  const { x509 } = await import('../certs/x509.js');
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  // The CA private key is not extractable: it cannot be serialized even by mistake.
  const caKeys = (await webcrypto.subtle.generateKey(EC, false, ['sign', 'verify'])) as CryptoKeyPair;
  const leafKeys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const stamp = now.toISOString().slice(0, 10);

  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Kyso Bridge local CA ${stamp} ${randomBytes(4).toString('hex')}, O=kyso-bridge`,
    notBefore,
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY),
    keys: caKeys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost, O=kyso-bridge',
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY),
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  return { caPem: pem(ca), certPem: pem(leaf), keyPem };
}

function pem(cert: PeculiarX509): string {
  const s = cert.toString('pem').replace(/\r\n/g, '\n');
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** Positive 128-bit serial (high bit cleared so DER needs no sign byte games). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** Write via a temp file + rename so a reader never sees half a file; the mode is set at creation. */
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data, { mode, flag: 'wx' });
  chmodSync(tmp, mode); // umask may have masked bits off (only matters for 0644)
  renameSync(tmp, path);
}
