// One token in one slot of one module: its facts, its session pool, its operation queue,
// login state, certificates and signing. Every PKCS#11 call on it goes through `run`.
import pkcs11js from 'pkcs11js';
import { KysoError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { PinState, TokenJson } from '../types.js';
import { MAYBE_REMOVED, ckrOf, toKysoError } from './ckr.js';
import { checkKeyFits } from '../crypto/key-fit.js';
import { planSign, type SignRequest } from './mechanism.js';
import type { Pkcs11Module } from './module.js';
import { findPrivateKey, readCertificates, type TokenObjectCert } from './objects.js';
import { RwQueue } from './rw-queue.js';
import { SessionPool } from './session-pool.js';
import { pinState, stableTokenId, tokenFacts, type TokenFacts } from './token-info.js';

/** Enough for an RSA-8192 signature; pkcs11js returns the real length. */
const SIGNATURE_BUFFER = 1024;

/**
 * Signs at once on one token. A hardware token (USB, smart card) computes one signature at a
 * time anyway, and a strict FIFO keeps each connection's replies in order; a software token
 * (SoftHSM) signs on several sessions at once.
 */
export const HARDWARE_TOKEN_CONCURRENCY = 1;
export const SOFTWARE_TOKEN_CONCURRENCY = 4;

/** PKCS#11 slot flags pkcs11js does not export. */
const CKF_REMOVABLE_DEVICE = 0x2;
const CKF_HW_SLOT = 0x4;

/** Hardware when the slot says so (CKF_HW_SLOT or CKF_REMOVABLE_DEVICE). */
export function defaultConcurrency(slotFlags: number): number {
  return slotFlags & (CKF_HW_SLOT | CKF_REMOVABLE_DEVICE) ? HARDWARE_TOKEN_CONCURRENCY : SOFTWARE_TOKEN_CONCURRENCY;
}

export interface TokenOptions {
  /** Signs that may run at once on separate sessions of a logged-in token. */
  maxConcurrent?: number;
  log?: Logger;
}

export class Token {
  readonly id: string;
  /** Module generation and slot this object's handles belong to; `rebind` moves them on. */
  generation: number;
  slot: Buffer;
  facts: TokenFacts;
  removed = false;
  private pool: SessionPool;
  private readonly maxConcurrent: number;
  private readonly queue: RwQueue;
  private loginAnchor?: Buffer;
  private certCache?: TokenObjectCert[];
  private readonly keyCache = new Map<string, Buffer>();
  private mechanisms?: Set<number>;
  private readonly log: Logger;

  constructor(readonly module: Pkcs11Module, slot: Buffer, info: pkcs11js.TokenInfo, opts: TokenOptions = {}) {
    this.slot = slot;
    this.facts = tokenFacts(info);
    this.id = stableTokenId(module.path, this.facts);
    this.generation = module.generation;
    let slotFlags = 0;
    try { slotFlags = module.p11.C_GetSlotInfo(slot).flags; } catch { /* treated as software */ }
    const n = opts.maxConcurrent ?? defaultConcurrency(slotFlags);
    this.maxConcurrent = n;
    this.pool = new SessionPool(module.p11, slot, n);
    this.queue = new RwQueue(n);
    this.log = (opts.log ?? silentLogger).child({ token: this.id, label: this.facts.label });
  }

  get p11(): pkcs11js.PKCS11 {
    return this.module.p11;
  }

  get loggedIn(): boolean {
    return this.loginAnchor !== undefined;
  }

  get pin(): PinState {
    return pinState(this.facts.flags);
  }

  /** Operations queued or running on this token (for BUSY decisions and metrics). */
  get pending(): number {
    return this.queue.pending;
  }

  toJSON(): TokenJson {
    return {
      id: this.id, label: this.facts.label, manufacturer: this.facts.manufacturer, model: this.facts.model,
      serial: this.facts.serial, module: { path: this.module.path, name: this.module.name }, pin: this.pin,
    };
  }

  /** Re-reads C_GetTokenInfo; false when the token is gone (or replaced by another one). */
  probe(): boolean {
    if (this.removed || this.module.generation !== this.generation) return false;
    try {
      const f = tokenFacts(this.p11.C_GetTokenInfo(this.slot));
      if (f.serial !== this.facts.serial || f.label !== this.facts.label) return false;
      this.facts = f;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * After a module re-initialisation the same token sits behind new handles (maybe a new slot
   * id). Callers keep this object: the login, sessions and key handles are gone, the queue and
   * the certificates stay. Called by the manager under the module's exclusive lock.
   */
  rebind(slot: Buffer, info: pkcs11js.TokenInfo): void {
    this.slot = slot;
    this.facts = tokenFacts(info);
    this.generation = this.module.generation;
    this.loginAnchor = undefined;
    this.keyCache.clear();
    this.mechanisms = undefined;
    this.pool = new SessionPool(this.module.p11, slot, this.maxConcurrent);
  }

  markRemoved(): void {
    if (this.removed) return;
    this.removed = true;
    this.loginAnchor = undefined;
    this.keyCache.clear();
    this.pool.drain(this.module.generation === this.generation);
  }

  /** Runs a token job under the module lock (shared) and this token's queue. */
  private run<T>(mode: 'shared' | 'exclusive', what: string, fn: () => Promise<T> | T): Promise<T> {
    return this.module.lock.run('shared', () => this.queue.run(mode, async () => {
      if (this.removed || this.module.generation !== this.generation) {
        this.markRemoved();
        throw new KysoError('TOKEN_REMOVED', {}, this.facts.label);
      }
      const started = performance.now();
      try {
        const r = await fn();
        this.log.debug({ op: what, ms: +(performance.now() - started).toFixed(2) }, 'token operation');
        return r;
      } catch (e) {
        const err = this.classify(e, what);
        this.log.info({ op: what, code: err.code, ckr: err.data.ckr }, 'token operation failed');
        throw err;
      }
    }));
  }

  private classify(e: unknown, what: string): KysoError {
    if (e instanceof KysoError) return e;
    const ckr = ckrOf(e);
    if (ckr && MAYBE_REMOVED.has(ckr) && !this.probe()) {
      this.markRemoved();
      return new KysoError('TOKEN_REMOVED', { ckr }, `${what} on ${this.facts.label}`);
    }
    return toKysoError(e, `${what} on ${this.facts.label}`);
  }

  /** Certificates on the token (public objects: no login). Cached until the token changes. */
  certificates(): Promise<TokenObjectCert[]> {
    if (this.certCache) return Promise.resolve(this.certCache);
    return this.run('shared', 'read certificates', () => this.pool.with((s) => {
      const privateHidden = (this.facts.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0 && !this.loggedIn;
      this.certCache = readCertificates(this.p11, s, privateHidden);
      return this.certCache;
    }));
  }

  private supportedMechanisms(): Set<number> {
    if (!this.mechanisms) {
      try { this.mechanisms = new Set(this.p11.C_GetMechanismList(this.slot)); } catch { this.mechanisms = new Set(); }
    }
    return this.mechanisms;
  }

  /**
   * C_Login with the PIN the user just typed (null: the device's PIN pad). Called once per user
   * entry — never repeated here. A wrong PIN reports what the token says about tries left.
   */
  login(pin: string | null): Promise<void> {
    return this.run('exclusive', 'login', () => {
      this.loginNow(pin);
      this.probe();
    });
  }

  /** Inside an exclusive job: a fresh login on its own anchor session (kept while logged in). */
  private loginNow(pin: string | null): void {
    if (this.loginAnchor) this.logoutNow();
    const anchor = this.p11.C_OpenSession(this.slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      this.loginWith(anchor, pin);
    } catch (e) {
      try { this.p11.C_CloseSession(anchor); } catch { /* gone */ }
      throw this.loginError(e);
    }
    this.loginAnchor = anchor;
  }

  private loginWith(session: Buffer, pin: string | null): void {
    // PIN pad (pin null): pkcs11js cannot pass NULL_PTR; an empty PIN (length 0) is what
    // PIN-pad drivers accept instead.
    try {
      this.p11.C_Login(session, pkcs11js.CKU_USER, pin ?? '');
    } catch (e) {
      // Logged in by an earlier state of this process: no PIN was checked, so log out and
      // present the same entry once. A wrong PIN is never re-sent.
      if (ckrOf(e) !== 'CKR_USER_ALREADY_LOGGED_IN') throw e;
      this.p11.C_Logout(session);
      this.p11.C_Login(session, pkcs11js.CKU_USER, pin ?? '');
    }
  }

  private loginError(e: unknown): KysoError {
    const err = toKysoError(e, `login on ${this.facts.label}`);
    if (err.code !== 'PIN_INCORRECT' && err.code !== 'PIN_LOCKED') return err;
    this.probe();
    const pin = this.pin;
    if (pin.locked) return new KysoError('PIN_LOCKED', { ckr: err.data.ckr, retriesLeft: 0 }, this.facts.label);
    if (err.code === 'PIN_LOCKED') return err;
    const data: Record<string, unknown> = { ckr: err.data.ckr, countLow: pin.countLow, finalTry: pin.finalTry };
    if (pin.retriesLeft !== null) data.retriesLeft = pin.retriesLeft;
    return new KysoError('PIN_INCORRECT', data, this.facts.label);
  }

  logout(): Promise<void> {
    if (!this.loginAnchor) return Promise.resolve();
    return this.run('exclusive', 'logout', () => this.logoutNow());
  }

  private logoutNow(): void {
    const anchor = this.loginAnchor;
    this.loginAnchor = undefined;
    this.keyCache.clear();
    if (!anchor) return;
    try { this.p11.C_Logout(anchor); } catch { /* already logged out */ }
    try { this.p11.C_CloseSession(anchor); } catch { /* gone */ }
  }

  /** Signs with the key of `cert`; the token must be logged in (or the key public to use). */
  async sign(cert: TokenObjectCert, req: SignRequest): Promise<Buffer> {
    checkKeyFits(cert.keyType, req.algorithm);
    const plan = planSign(req, this.supportedMechanisms());
    return this.run('shared', 'sign', () => this.signNow(cert, plan));
  }

  /** Login, sign, and (unless asked to stay) logout as one job: nothing interleaves. */
  async signWithPin(cert: TokenObjectCert, pin: string | null, req: SignRequest, stayLoggedIn = false): Promise<Buffer> {
    return (await this.signAllWithPin(cert, pin, [req], stayLoggedIn))[0]!;
  }

  /** Several signatures with one login (one PIN entry), in request order. */
  async signAllWithPin(cert: TokenObjectCert, pin: string | null, reqs: SignRequest[], stayLoggedIn = false): Promise<Buffer[]> {
    for (const r of reqs) checkKeyFits(cert.keyType, r.algorithm);
    const plans = reqs.map((r) => planSign(r, this.supportedMechanisms()));
    return this.run('exclusive', 'sign', async () => {
      this.loginNow(pin);
      try {
        const out: Buffer[] = [];
        for (const plan of plans) out.push(await this.signNow(cert, plan));
        return out;
      } finally {
        if (!stayLoggedIn) this.logoutNow();
        this.probe();
      }
    });
  }

  private async signNow(cert: TokenObjectCert, plan: ReturnType<typeof planSign>): Promise<Buffer> {
    const key = this.keyFor(cert);
    return this.pool.with(async (s) => {
      this.p11.C_SignInit(s, plan.mechanism, key);
      return await this.p11.C_SignAsync(s, plan.input, Buffer.alloc(SIGNATURE_BUFFER));
    });
  }

  private keyFor(cert: TokenObjectCert): Buffer {
    const cached = this.keyCache.get(cert.sha256);
    if (cached) return cached;
    const s = this.pool.acquire();
    try {
      const key = findPrivateKey(this.p11, s, cert);
      if (!key) throw new KysoError('KEY_NOT_FOUND', {}, cert.label);
      // Handles of private objects are only good while logged in: cached per login.
      if (this.loginAnchor) this.keyCache.set(cert.sha256, key);
      return key;
    } finally {
      this.pool.release(s, true);
    }
  }

  /** Forgets cached certificates (e.g. after a rescan found the token rewritten). */
  invalidate(): void {
    this.certCache = undefined;
    this.keyCache.clear();
  }
}
