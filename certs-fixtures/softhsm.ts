// Provisions SoftHSM2 tokens from the test PKI in a private SOFTHSM2_CONF, for tests, the
// demo and CI. Keys are imported (the PKI keys are fixed so certificates stay deterministic),
// certificates paired with keys by CKA_ID and label, CA certificates stored as authority
// objects. Idempotent: a token whose marker object matches the spec is left alone.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkcs11js from 'pkcs11js';
import { TOKENS, type TokenSpec } from './pki-spec.js';
import { OUT_DIR } from './paths.js';
import { x509 } from '../src/certs/x509.js';
import * as asn1js from 'asn1js';

export const SOFTHSM_MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];
const MARKER_LABEL = 'kyso-fixture-marker';
const EC_OIDS: Record<string, string> = { 'P-256': '06082a8648ce3d030107', 'P-384': '06052b81040022' };

export function findSoftHsmModule(): string | undefined {
  return SOFTHSM_MODULE_CANDIDATES.find((p) => existsSync(p));
}

/** Installs softhsm2 (and opensc) with apt when root; otherwise says the exact command. */
export function ensureSoftHsmInstalled(): string {
  const found = findSoftHsmModule();
  if (found) return found;
  const cmd = 'apt-get install -y softhsm2 opensc';
  if (process.getuid?.() === 0) {
    execFileSync('bash', ['-c', `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 opensc >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${cmd} -qq >/dev/null)`], { stdio: 'inherit' });
    const after = findSoftHsmModule();
    if (after) return after;
  }
  throw new Error(`SoftHSM2 is not installed. Run: sudo ${cmd}`);
}

export interface ProvisionedToken { label: string; userPin: string; soPin: string; leaves: string[]; purpose: string }
export interface SoftHsmEnv {
  dir: string;
  conf: string;
  modulePath: string;
  tokens: ProvisionedToken[];
  /** Env to pass to child processes so they see these tokens. */
  env: Record<string, string>;
}

function writeConf(dir: string): string {
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  return conf;
}

function markerFor(spec: TokenSpec): string {
  const h = createHash('sha256').update(JSON.stringify(spec));
  for (const name of [...spec.leaves, ...spec.cas]) h.update(readFileSync(join(OUT_DIR, `${name}.pem`)));
  return h.digest('hex');
}

function softhsmUtil(conf: string, args: string[]): string {
  return execFileSync('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

type Attr = pkcs11js.Template[number];

function keyTemplates(name: string, id: Buffer, label: string): { priv: Attr[]; pub: Attr[] } {
  const key = createPrivateKey(readFileSync(join(OUT_DIR, `${name}.key.pem`)));
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const b = (k: string) => Buffer.from(jwk[k], 'base64url');
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_ID, value: id }, { type: pkcs11js.CKA_LABEL, value: label },
  ];
  if (jwk.kty === 'RSA') {
    return {
      priv: [...common, { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
        { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_MODULUS, value: b('n') }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b('e') },
        { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: b('d') }, { type: pkcs11js.CKA_PRIME_1, value: b('p') },
        { type: pkcs11js.CKA_PRIME_2, value: b('q') }, { type: pkcs11js.CKA_EXPONENT_1, value: b('dp') },
        { type: pkcs11js.CKA_EXPONENT_2, value: b('dq') }, { type: pkcs11js.CKA_COEFFICIENT, value: b('qi') }],
      pub: [...common, { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
        { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_MODULUS, value: b('n') }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: b('e') }],
    };
  }
  const params = Buffer.from(EC_OIDS[jwk.crv], 'hex');
  const point = Buffer.concat([Buffer.from([0x04]), b('x'), b('y')]);
  const ecPoint = Buffer.concat([Buffer.from([0x04, point.length]), point]); // DER OCTET STRING
  return {
    priv: [...common, { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_EC_PARAMS, value: params }, { type: pkcs11js.CKA_VALUE, value: b('d') }],
    pub: [...common, { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_EC_PARAMS, value: params }, { type: pkcs11js.CKA_EC_POINT, value: ecPoint }],
  };
}

function certTemplate(name: string, id: Buffer, label: string, authority: boolean): Attr[] {
  const cert = new x509.X509Certificate(readFileSync(join(OUT_DIR, `${name}.pem`), 'utf8'));
  const der = Buffer.from(cert.rawData);
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }, { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: false }, { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id }, { type: pkcs11js.CKA_VALUE, value: der },
    { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(cert.subjectName.toArrayBuffer()) },
    { type: pkcs11js.CKA_ISSUER, value: Buffer.from(cert.issuerName.toArrayBuffer()) },
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(new asn1js.Integer({ valueHex: Buffer.from(cert.serialNumber, 'hex') }).toBER()) },
    { type: pkcs11js.CKA_CERTIFICATE_CATEGORY, value: authority ? 2 : 1 },
  ];
}

function fillToken(p11: pkcs11js.PKCS11, slot: Buffer, spec: TokenSpec, marker: string): void {
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try {
    p11.C_Login(session, pkcs11js.CKU_USER, spec.userPin);
    for (const leaf of spec.leaves) {
      const der = new X509Certificate(readFileSync(join(OUT_DIR, `${leaf}.pem`))).raw;
      // CKA_ID as most CA tools set it: SHA-1 of the certificate's public key.
      const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
      const id = createHash('sha1').update(spki).digest();
      const { priv, pub } = keyTemplates(leaf, id, leaf);
      p11.C_CreateObject(session, priv);
      p11.C_CreateObject(session, pub);
      p11.C_CreateObject(session, certTemplate(leaf, id, leaf, false));
    }
    for (const ca of spec.cas) {
      const id = createHash('sha1').update(ca).digest();
      p11.C_CreateObject(session, certTemplate(ca, id, ca, true));
    }
    p11.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA }, { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false }, { type: pkcs11js.CKA_LABEL, value: MARKER_LABEL },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(marker) },
    ]);
    p11.C_Logout(session);
  } finally {
    p11.C_CloseSession(session);
  }
}

function readMarker(p11: pkcs11js.PKCS11, slot: Buffer): string | undefined {
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  try {
    p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA }, { type: pkcs11js.CKA_LABEL, value: MARKER_LABEL }]);
    const [h] = p11.C_FindObjects(session, 1);
    p11.C_FindObjectsFinal(session);
    return h ? p11.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_VALUE }])[0].value?.toString() : undefined;
  } finally {
    p11.C_CloseSession(session);
  }
}

/** Slots by token label, for a freshly initialised module. */
function slotsByLabel(p11: pkcs11js.PKCS11): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (const slot of p11.C_GetSlotList(true)) {
    const info = p11.C_GetTokenInfo(slot);
    if (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) map.set(info.label.trim(), slot);
  }
  return map;
}

/**
 * Makes sure `dir` holds a SoftHSM store with the given tokens (default: all fixture tokens).
 * Call it before this process loads SoftHSM for anything else (one C_Initialize per process).
 */
export function provisionSoftHsm(dir: string, tokens: TokenSpec[] = TOKENS): SoftHsmEnv {
  const modulePath = ensureSoftHsmInstalled();
  dir = resolve(dir);
  const conf = writeConf(dir);
  const prevConf = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = conf;
  try {
    const p11 = new pkcs11js.PKCS11();
    p11.load(modulePath);
    const stale: TokenSpec[] = [];
    p11.C_Initialize();
    try {
      const slots = slotsByLabel(p11);
      for (const spec of tokens) {
        const slot = slots.get(spec.label);
        if (!slot || readMarker(p11, slot) !== markerFor(spec)) stale.push(spec);
      }
    } finally {
      p11.C_Finalize();
    }
    if (stale.length > 0) {
      for (const spec of stale) {
        try { softhsmUtil(conf, ['--delete-token', '--token', spec.label]); } catch { /* not there */ }
        softhsmUtil(conf, ['--init-token', '--free', '--label', spec.label, '--so-pin', spec.soPin, '--pin', spec.userPin]);
      }
      p11.C_Initialize();
      try {
        const slots = slotsByLabel(p11);
        for (const spec of stale) fillToken(p11, slots.get(spec.label)!, spec, markerFor(spec));
      } finally {
        p11.C_Finalize();
      }
    }
    p11.close();
  } finally {
    if (prevConf === undefined) delete process.env.SOFTHSM2_CONF; else process.env.SOFTHSM2_CONF = prevConf;
  }
  return {
    dir, conf, modulePath,
    tokens: tokens.map(({ label, userPin, soPin, leaves, purpose }) => ({ label, userPin, soPin, leaves, purpose })),
    env: { SOFTHSM2_CONF: conf },
  };
}

/** Deletes one token from a provisioned store (simulates unplugging in SoftHSM terms). */
export function deleteSoftHsmToken(env: SoftHsmEnv, label: string): void {
  softhsmUtil(env.conf, ['--delete-token', '--token', label]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Usage: tsx certs-fixtures/softhsm.ts [DIR] [TOKEN LABEL]…  (default: every fixture token)
  const dir = process.argv[2] ?? '.kyso-test/softhsm';
  const labels = process.argv.slice(3);
  const env = provisionSoftHsm(dir, labels.length ? TOKENS.filter((t) => labels.includes(t.label)) : TOKENS);
  console.log(JSON.stringify({ conf: env.conf, modulePath: env.modulePath, tokens: env.tokens.map((t) => ({ label: t.label, userPin: t.userPin })) }, null, 2));
}
