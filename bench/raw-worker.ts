// The raw baseline: pkcs11js straight on SoftHSM, no kyso code. Runs as a child of bench/run.ts
// (its own process and libuv pool, like the daemon) and takes commands over IPC:
//   {cmd:'init', modulePath, tokens:[{key, label, pin, leaf}]}   → {ok}
//   {cmd:'seq', key, n, gap?}                                    → {ok, ms:number[]}  one session, sequential;
//                                                                  gap: the process sleeps (a 0 ms timer) before each sign,
//                                                                  as a server between requests, instead of a tight loop
//   {cmd:'par', inflight, perToken, keys}                         → {ok, ms, signs, errors}
// Each in-flight parallel operation owns a session; keys alternate by lane.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';

export interface RawTokenSpec { key: string; label: string; pin: string; leaf: string; fixturesDir: string }
export type RawCommand =
  | { cmd: 'init'; modulePath: string; tokens: RawTokenSpec[] }
  | { cmd: 'seq'; key: string; n: number; gap?: boolean }
  | { cmd: 'par'; inflight: number; perToken: number; keys: string[] }
  | { cmd: 'exit' };
export interface RawReply { ok: boolean; error?: string; ms?: number[] | number; signs?: number; errors?: number }

/** DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface RawToken { slot: Buffer; key: Buffer; ec: boolean; sessions: Buffer[] }

const p11 = new pkcs11js.PKCS11();
const tokens = new Map<string, RawToken>();

function input(ec: boolean): Buffer {
  const hash = createHash('sha256').update(randomBytes(16)).digest();
  return ec ? hash : Buffer.concat([SHA256_DIGEST_INFO, hash]);
}

async function signOnce(t: RawToken, session: Buffer, data: Buffer): Promise<Buffer> {
  p11.C_SignInit(session, { mechanism: t.ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, t.key);
  return p11.C_SignAsync(session, data, Buffer.alloc(1024));
}

function session(t: RawToken, i: number): Buffer {
  while (t.sessions.length <= i) t.sessions.push(p11.C_OpenSession(t.slot, pkcs11js.CKF_SERIAL_SESSION));
  return t.sessions[i];
}

function init(modulePath: string, specs: RawTokenSpec[]): void {
  p11.load(modulePath);
  p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  const slots = new Map<string, Buffer>();
  for (const slot of p11.C_GetSlotList(true)) slots.set(p11.C_GetTokenInfo(slot).label.trim(), slot);
  for (const spec of specs) {
    const slot = slots.get(spec.label);
    if (!slot) throw new Error(`raw: no token ${spec.label}`);
    const s = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(s, pkcs11js.CKU_USER, spec.pin);
    // CKA_ID as the fixtures set it: SHA-1 of the certificate's SubjectPublicKeyInfo.
    const cert = new X509Certificate(readFileSync(join(spec.fixturesDir, `${spec.leaf}.pem`)));
    const id = createHash('sha1').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest();
    p11.C_FindObjectsInit(s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: id }]);
    const [key] = p11.C_FindObjects(s, 1);
    p11.C_FindObjectsFinal(s);
    if (!key) throw new Error(`raw: no private key for ${spec.leaf}`);
    tokens.set(spec.key, { slot, key, ec: cert.publicKey.asymmetricKeyType === 'ec', sessions: [s] });
  }
}

async function seq(key: string, n: number, gap = false): Promise<number[]> {
  const t = tokens.get(key)!;
  const s = session(t, 0);
  const inputs = Array.from({ length: n }, () => input(t.ec));
  const ms: number[] = [];
  for (const data of inputs) {
    if (gap) await new Promise((r) => setTimeout(r, 0));
    const t0 = performance.now();
    await signOnce(t, s, data);
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function par(inflight: number, perToken: number, keys: string[]): Promise<{ ms: number; signs: number; errors: number }> {
  const left = new Map(keys.map((k) => [k, perToken]));
  // Lane i works on token keys[i % keys.length] with its own session (opened before timing).
  const lanes = Array.from({ length: inflight }, (_, i) => {
    const t = tokens.get(keys[i % keys.length])!;
    return { k: keys[i % keys.length], t, s: session(t, 1 + Math.floor(i / keys.length)) };
  });
  const inputs = new Map(keys.map((k) => [k, Array.from({ length: perToken }, () => input(tokens.get(k)!.ec))]));
  let signs = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(lanes.map(async ({ k, t, s }) => {
    for (;;) {
      const n = left.get(k)!;
      if (n <= 0) return;
      left.set(k, n - 1);
      try { await signOnce(t, s, inputs.get(k)![n - 1]); signs++; } catch { errors++; }
    }
  }));
  return { ms: performance.now() - t0, signs, errors };
}

async function handle(c: RawCommand): Promise<RawReply> {
  switch (c.cmd) {
    case 'init': init(c.modulePath, c.tokens); return { ok: true };
    case 'seq': return { ok: true, ms: await seq(c.key, c.n, c.gap) };
    case 'par': return { ok: true, ...(await par(c.inflight, c.perToken, c.keys)) };
    case 'exit':
      try { p11.C_Finalize(); p11.close(); } catch { /* exiting anyway */ }
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on('message', (c: RawCommand) => {
  handle(c).then((r) => process.send!(r), (e: Error) => process.send!({ ok: false, error: e.stack ?? String(e) }));
});
process.on('disconnect', () => process.exit(0));
