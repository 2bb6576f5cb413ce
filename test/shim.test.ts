// The fault-injecting PKCS#11 shim, built from source and loaded with raw pkcs11js over a
// private SoftHSM store: each fault the bridge must survive, observed at the PKCS#11 level.
import { execFileSync } from 'node:child_process';
import { verify, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pkcs11js from 'pkcs11js';
import { freshSoftHsm } from './support/softhsm.js';
import { SHIM_SOURCE_DIR, shimOver, type ShimHandle } from './support/shim.js';
import { TOKENS } from '../certs-fixtures/pki-spec.js';
import { OUT_DIR } from '../certs-fixtures/paths.js';

const ORG = TOKENS.find((t) => t.label === 'KYSO DOANH NGHIEP')!;
const GOV = TOKENS.find((t) => t.label === 'KYSO CO QUAN')!;
const OLD = TOKENS.find((t) => t.label === 'KYSO HET HAN')!;
// Session states (pkcs11js exports no CKS_* constants).
const CKS_RO_PUBLIC_SESSION = 0;
const CKS_RO_USER_FUNCTIONS = 1;
const CKF_TOKEN_PRESENT = 1; // slot flag, missing from pkcs11js's typings
const PIN_FLAGS = pkcs11js.CKF_USER_PIN_COUNT_LOW | pkcs11js.CKF_USER_PIN_FINAL_TRY | pkcs11js.CKF_USER_PIN_LOCKED;

let hsm: ReturnType<typeof freshSoftHsm>;
let shim: ShimHandle;
let p11: pkcs11js.PKCS11;

beforeAll(() => {
  hsm = freshSoftHsm();
  shim = shimOver(hsm.modulePath);
  process.env.SOFTHSM2_CONF = hsm.conf;
  Object.assign(process.env, shim.env);
  p11 = new pkcs11js.PKCS11();
  p11.load(shim.modulePath);
  // OS locking: pkcs11js runs C_SignAsync on worker threads; without the flag SoftHSM may
  // assume a single thread and crash under concurrent signatures (as the bridge does too).
  p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
});

afterAll(() => {
  p11?.C_Finalize();
  p11?.close();
  shim?.cleanup();
  hsm?.cleanup();
});

beforeEach(() => {
  shim.write({});
  shim.resetState();
});

afterEach(() => {
  shim.write({});
  for (const slot of p11.C_GetSlotList(false)) p11.C_CloseAllSessions(slot); // also logs out
});

const labels = (present = true) => p11.C_GetSlotList(present).flatMap((s) => {
  try { return [p11.C_GetTokenInfo(s).label.trim()]; } catch { return []; }
});

function slotOf(label: string): Buffer {
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
  if (!slot) throw new Error(`no token ${label}`);
  return slot;
}

/** The CKR_* name a call fails with (pkcs11js puts it in the message), or 'OK'. */
async function ckr(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'OK';
  } catch (e) {
    return (e as Error).message;
  }
}

function privateKey(session: Buffer, label: string): Buffer {
  p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_LABEL, value: label }]);
  const [key] = p11.C_FindObjects(session, 1);
  p11.C_FindObjectsFinal(session);
  if (!key) throw new Error(`no private key ${label}`);
  return key;
}

/** Logs in to the organisation token and prepares an RSA SHA-256 signature. */
function orgSignSession(): Buffer {
  const session = p11.C_OpenSession(slotOf(ORG.label), pkcs11js.CKF_SERIAL_SESSION);
  // Login is per token, not per session: only the first session logs in.
  if (p11.C_GetSessionInfo(session).state === CKS_RO_PUBLIC_SESSION) p11.C_Login(session, pkcs11js.CKU_USER, ORG.userPin);
  p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, privateKey(session, 'leaf-org'));
  return session;
}

const DATA = Buffer.from('kyso shim test');
const ORG_CERT = new X509Certificate(readFileSync(join(OUT_DIR, 'leaf-org.pem')));
const validSignature = (sig: Buffer) => verify('sha256', DATA, ORG_CERT.publicKey, sig);

describe('build', () => {
  it('builds from source with the system compiler, exporting only C_GetFunctionList', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-shim-build-'));
    try {
      const out = execFileSync('bash', [join(SHIM_SOURCE_DIR, 'build.sh')], { env: { ...process.env, KYSO_SHIM_BUILD_DIR: dir }, encoding: 'utf8' });
      const lib = join(dir, 'libkyso-fault-shim.so');
      expect(out.trim()).toBe(lib);
      expect(existsSync(lib)).toBe(true);
      const exported = execFileSync('nm', ['-D', '--defined-only', lib], { encoding: 'utf8' })
        .split('\n').filter((l) => / T /.test(l)).map((l) => l.split(' ').pop());
      expect(exported).toEqual(['C_GetFunctionList']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('forwarding', () => {
  it('shows the real tokens and signs through the shim', () => {
    expect(labels()).toEqual(expect.arrayContaining(TOKENS.map((t) => t.label)));
    const session = orgSignSession();
    const sig = p11.C_Sign(session, DATA, Buffer.alloc(512));
    expect(validSignature(sig)).toBe(true);
  });

  it('coexists with the real module loaded directly in the same process (private copy)', () => {
    const direct = new pkcs11js.PKCS11();
    direct.load(hsm.modulePath);
    direct.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }); // would be CKR_CRYPTOKI_ALREADY_INITIALIZED if both shared one instance
    try {
      expect(direct.C_GetSlotList(true).length).toBe(p11.C_GetSlotList(true).length);
    } finally {
      direct.C_Finalize();
      direct.close();
    }
    expect(labels()).toContain(ORG.label); // the shim's instance is still initialised
  });

  it('signs concurrently on worker threads while the control file changes', async () => {
    shim.write({ latencyMs: 30, latencyCalls: ['C_Sign'] });
    const sessions = Array.from({ length: 16 }, () => orgSignSession());
    const pending = sessions.map((s) => p11.C_SignAsync(s, DATA, Buffer.alloc(512)));
    for (let i = 0; i < 5; i++) shim.write({ latencyMs: 30 + i, latencyCalls: ['C_Sign'] });
    const sigs = await Promise.all(pending);
    expect(sigs.every(validSignature)).toBe(true);
  });
});

describe('token vanishes and comes back', () => {
  it('hides the token, fails its calls, then brings it back logged out', async () => {
    const session = orgSignSession();
    const slot = slotOf(ORG.label);
    shim.write({ hide: [ORG.label] });

    expect(labels()).not.toContain(ORG.label);
    expect(labels()).toContain(GOV.label); // other tokens untouched
    expect(p11.C_GetSlotList(false).map((s) => s.toString('hex'))).toContain(slot.toString('hex')); // the reader stays
    expect(p11.C_GetSlotInfo(slot).flags & CKF_TOKEN_PRESENT).toBe(0);
    expect(await ckr(() => p11.C_GetTokenInfo(slot))).toBe('CKR_TOKEN_NOT_PRESENT');
    expect(await ckr(() => p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION))).toBe('CKR_TOKEN_NOT_PRESENT');
    expect(await ckr(() => p11.C_Sign(session, DATA, Buffer.alloc(512)))).toBe('CKR_DEVICE_REMOVED');

    shim.write({});
    expect(labels()).toContain(ORG.label);
    expect(p11.C_GetSlotInfo(slot).flags & CKF_TOKEN_PRESENT).toBe(CKF_TOKEN_PRESENT);
    expect(await ckr(() => p11.C_GetSessionInfo(session))).toBe('CKR_SESSION_HANDLE_INVALID');
    const again = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    expect(p11.C_GetSessionInfo(again).state).toBe(CKS_RO_PUBLIC_SESSION); // login lost on replug
    p11.C_Login(again, pkcs11js.CKU_USER, ORG.userPin);
    p11.C_SignInit(again, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, privateKey(again, 'leaf-org'));
    expect(validSignature(p11.C_Sign(again, DATA, Buffer.alloc(512)))).toBe(true);
  });

  it('answers DEVICE_REMOVED to a signature running on a worker thread when unplugged mid-way', async () => {
    shim.write({ latencyMs: 600, latencyCalls: ['C_Sign'] });
    const session = orgSignSession();
    const pending = ckr(() => p11.C_SignAsync(session, DATA, Buffer.alloc(512)));
    await new Promise((r) => setTimeout(r, 150));
    shim.write({ hide: [ORG.label], latencyMs: 600, latencyCalls: ['C_Sign'] });
    expect(await pending).toBe('CKR_DEVICE_REMOVED');
  });
});

describe('slot events', () => {
  const DONT_BLOCK = 1; // CKF_DONT_BLOCK
  it('reports unplug and replug through C_WaitForSlotEvent when asked to', async () => {
    const slot = slotOf(ORG.label).toString('hex');
    shim.write({ hide: [ORG.label] }); // off: the real module answers, and SoftHSM sees nothing
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)).toBeNull();
    shim.write({ slotEvents: true });
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)).toBeNull();
    shim.write({ slotEvents: true, hide: [ORG.label] });
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)?.toString('hex')).toBe(slot);
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)).toBeNull(); // one event per change
    shim.write({ slotEvents: true });
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)?.toString('hex')).toBe(slot);
    expect(p11.C_WaitForSlotEvent(DONT_BLOCK)).toBeNull();
  });
});

describe('retry counter', () => {
  const tokenFlags = () => p11.C_GetTokenInfo(slotOf(OLD.label)).flags;
  const login = (pin: string) => {
    const session = p11.C_OpenSession(slotOf(OLD.label), pkcs11js.CKF_SERIAL_SESSION);
    return ckr(() => p11.C_Login(session, pkcs11js.CKU_USER, pin));
  };

  it('walks COUNT_LOW → FINAL_TRY → LOCKED, then refuses without asking the token', async () => {
    shim.write({ maxTries: 3 });
    expect(tokenFlags() & PIN_FLAGS).toBe(0);
    expect(await login('000000')).toBe('CKR_PIN_INCORRECT');
    expect(tokenFlags() & PIN_FLAGS).toBe(pkcs11js.CKF_USER_PIN_COUNT_LOW);
    expect(shim.triesLeft(OLD.label)).toBe(2);
    expect(await login('000001')).toBe('CKR_PIN_INCORRECT');
    expect(tokenFlags() & PIN_FLAGS).toBe(pkcs11js.CKF_USER_PIN_COUNT_LOW | pkcs11js.CKF_USER_PIN_FINAL_TRY);
    expect(await login('000002')).toBe('CKR_PIN_INCORRECT');
    expect(tokenFlags() & pkcs11js.CKF_USER_PIN_LOCKED).toBe(pkcs11js.CKF_USER_PIN_LOCKED);
    expect(shim.triesLeft(OLD.label)).toBe(0);
    // Locked: even the right PIN is refused and the session stays logged out.
    const session = p11.C_OpenSession(slotOf(OLD.label), pkcs11js.CKF_SERIAL_SESSION);
    expect(await ckr(() => p11.C_Login(session, pkcs11js.CKU_USER, OLD.userPin))).toBe('CKR_PIN_LOCKED');
    expect(p11.C_GetSessionInfo(session).state).toBe(CKS_RO_PUBLIC_SESSION);
    // Other tokens keep their own counter.
    expect(p11.C_GetTokenInfo(slotOf(GOV.label)).flags & PIN_FLAGS).toBe(0);
  });

  it('persists the counter for other processes', async () => {
    shim.write({ maxTries: 3 });
    expect(await login('000000')).toBe('CKR_PIN_INCORRECT');
    expect(await login('000000')).toBe('CKR_PIN_INCORRECT');
    const script = `import p from 'pkcs11js'; const m = new p.PKCS11(); m.load(process.env.SHIM);
      m.C_Initialize(); const out = {};
      for (const s of m.C_GetSlotList(true)) { const i = m.C_GetTokenInfo(s); out[i.label.trim()] = i.flags; }
      m.C_Finalize(); console.log(JSON.stringify(out));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...hsm.env, ...shim.env, SHIM: shim.modulePath }, encoding: 'utf8',
    });
    const flags = JSON.parse(out) as Record<string, number>;
    expect(flags[OLD.label] & PIN_FLAGS).toBe(pkcs11js.CKF_USER_PIN_COUNT_LOW | pkcs11js.CKF_USER_PIN_FINAL_TRY);
    expect(flags[ORG.label] & PIN_FLAGS).toBe(0);
  });

  it('resets on a right PIN, as real tokens do', async () => {
    shim.write({ maxTries: 3 });
    expect(await login('000000')).toBe('CKR_PIN_INCORRECT');
    expect(await login(OLD.userPin)).toBe('OK');
    expect(shim.triesLeft(OLD.label)).toBe(3);
    expect(tokenFlags() & PIN_FLAGS).toBe(0);
  });

  it('max_tries=0 turns the counter off', async () => {
    shim.write({ maxTries: 0 });
    for (let i = 0; i < 4; i++) expect(await login('000000')).toBe('CKR_PIN_INCORRECT');
    expect(tokenFlags() & (pkcs11js.CKF_USER_PIN_FINAL_TRY | pkcs11js.CKF_USER_PIN_LOCKED)).toBe(0);
    expect(await login(OLD.userPin)).toBe('OK');
  });
});

describe('latency', () => {
  async function timed(fn: () => unknown): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  }

  it('delays the named calls only', async () => {
    shim.write({ latencyMs: 300, latencyCalls: ['C_Sign', 'C_Login'] });
    const session = p11.C_OpenSession(slotOf(ORG.label), pkcs11js.CKF_SERIAL_SESSION);
    expect(await timed(() => p11.C_Login(session, pkcs11js.CKU_USER, ORG.userPin))).toBeGreaterThanOrEqual(295);
    p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, privateKey(session, 'leaf-org'));
    expect(await timed(() => p11.C_SignAsync(session, DATA, Buffer.alloc(512)))).toBeGreaterThanOrEqual(295);
    expect(await timed(() => p11.C_GetSessionInfo(session))).toBeLessThan(250);
  });

  it('delays every call when no list is given', async () => {
    shim.write({ latencyMs: 200 });
    expect(await timed(() => p11.C_GetSlotList(true))).toBeGreaterThanOrEqual(195);
  });
});

describe('PIN pad', () => {
  it('reports a protected authentication path and logs in without a PIN from the host', async () => {
    shim.write({ pinpad: true, pinpadPin: ORG.userPin });
    expect(p11.C_GetTokenInfo(slotOf(ORG.label)).flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH)
      .toBe(pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH);
    const session = p11.C_OpenSession(slotOf(ORG.label), pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, ''); // pkcs11js cannot pass NULL: '' is the pad login
    expect(p11.C_GetSessionInfo(session).state).toBe(CKS_RO_USER_FUNCTIONS);
  });

  it('can be limited to some tokens', () => {
    shim.write({ pinpad: true, pinpadTokens: [GOV.label], pinpadPin: GOV.userPin });
    expect(p11.C_GetTokenInfo(slotOf(GOV.label)).flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH).not.toBe(0);
    expect(p11.C_GetTokenInfo(slotOf(ORG.label)).flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH).toBe(0);
  });
});

describe('failure injection', () => {
  it('fails the named call with CKR_FUNCTION_FAILED and leaves the others alone', async () => {
    const session = orgSignSession();
    shim.write({ fail: ['C_Sign'] });
    expect(await ckr(() => p11.C_Sign(session, DATA, Buffer.alloc(512)))).toBe('CKR_FUNCTION_FAILED');
    expect(await ckr(() => p11.C_GetSessionInfo(session))).toBe('OK');
    shim.write({});
    // The failed C_Sign ended the operation, as on a real token: a new one can start.
    p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, privateKey(session, 'leaf-org'));
    expect(validSignature(p11.C_Sign(session, DATA, Buffer.alloc(512)))).toBe(true);
  });

  it('uses fail_rv when given', async () => {
    shim.write({ fail: ['C_OpenSession'], failRv: pkcs11js.CKR_DEVICE_ERROR });
    expect(await ckr(() => p11.C_OpenSession(slotOf(ORG.label), pkcs11js.CKF_SERIAL_SESSION))).toBe('CKR_DEVICE_ERROR');
  });
});

describe('login counter', () => {
  it('counts every C_Login, per token and in total, wrong and refused ones too', async () => {
    const org = p11.C_OpenSession(slotOf(ORG.label), pkcs11js.CKF_SERIAL_SESSION);
    const gov = p11.C_OpenSession(slotOf(GOV.label), pkcs11js.CKF_SERIAL_SESSION);
    expect(shim.loginCalls()).toBe(0);
    await ckr(() => p11.C_Login(org, pkcs11js.CKU_USER, '999999'));
    p11.C_Login(org, pkcs11js.CKU_USER, ORG.userPin);
    p11.C_Login(gov, pkcs11js.CKU_USER, GOV.userPin);
    shim.write({ fail: ['C_Login'] });
    expect(await ckr(() => p11.C_Login(gov, pkcs11js.CKU_USER, GOV.userPin))).toBe('CKR_FUNCTION_FAILED');
    expect(shim.loginCalls()).toBe(4);
    expect(shim.loginCalls(ORG.label)).toBe(2);
    expect(shim.loginCalls(GOV.label)).toBe(3 - 1);
  });
});
