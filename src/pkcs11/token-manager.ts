// Every token of every loaded module, kept current: tokens that vanish are marked removed (their
// callers get TOKEN_REMOVED), tokens that appear are found on refresh — with a module
// re-initialisation when asked, since some drivers show new tokens only after C_Initialize.
import { EventEmitter } from 'node:events';
import { X509Certificate } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { KysoError } from '../errors.js';
import type { TokenJson } from '../types.js';
import { Pkcs11Module, type ModuleStatus } from './module.js';
import type { TokenObjectCert } from './objects.js';
import { Token, type TokenOptions } from './token.js';
import { stableTokenId, tokenFacts } from './token-info.js';

export interface TokenManagerOptions extends TokenOptions {
  modulePaths: string[];
}

export interface RefreshOptions {
  /** C_Finalize + C_Initialize each module first (waits for running operations). */
  rescan?: boolean;
}

export interface TokenCertificate {
  /** tokenId + '-' + first 16 hex of the certificate's SHA-256. */
  id: string;
  token: Token;
  object: TokenObjectCert;
}

export declare interface TokenManager {
  on(event: 'changed', listener: (tokens: TokenJson[]) => void): this;
}

export class TokenManager extends EventEmitter {
  readonly modules: Pkcs11Module[];
  private tokensById = new Map<string, Token>();
  private readonly opts: TokenOptions;
  private refreshing: Promise<unknown> = Promise.resolve();

  constructor(opts: TokenManagerOptions) {
    super();
    const unique = [...new Set(opts.modulePaths)];
    this.modules = unique.map((p) => new Pkcs11Module(p));
    this.opts = { maxConcurrent: opts.maxConcurrent, log: opts.log };
  }

  /** Loads every module; a module that fails is reported in `moduleStatus()`, not thrown. */
  async open(): Promise<ModuleStatus[]> {
    for (const m of this.modules) m.open();
    await this.refresh();
    return this.moduleStatus();
  }

  moduleStatus(): ModuleStatus[] {
    return this.modules.map((m) => m.status());
  }

  tokens(): Token[] {
    return [...this.tokensById.values()];
  }

  tokenJson(): TokenJson[] {
    return this.tokens().map((t) => t.toJSON());
  }

  getToken(id: string): Token {
    const t = this.tokensById.get(id);
    if (!t || t.removed) throw new KysoError('TOKEN_NOT_PRESENT', {}, `token ${id}`);
    return t;
  }

  /** Re-reads slot lists; emits 'changed' when the set of tokens (or a PIN state) changed. */
  refresh(opts: RefreshOptions = {}): Promise<Token[]> {
    // One refresh at a time: two interleaved ones would each mint Token objects for one slot.
    const run = this.refreshing.then(() => this.refreshNow(opts));
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(opts: RefreshOptions): Promise<Token[]> {
    const before = this.signature();
    const next = new Map<string, Token>();
    for (const m of this.modules) {
      if (!m.loaded) m.open();
      else if (opts.rescan) await m.lock.run('exclusive', async () => { m.reinitialize(); this.rebind(m); });
      if (!m.loaded) continue;
      await m.lock.run('shared', async () => {
        let slots: Buffer[] = [];
        try { slots = m.p11.C_GetSlotList(true); } catch { return; }
        for (const slot of slots) {
          let info;
          try { info = m.p11.C_GetTokenInfo(slot); } catch { continue; /* SoftHSM: a deleted token */ }
          // An empty, never-initialised token (SoftHSM's spare slot, a blank card) holds nothing.
          if (!(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) continue;
          const id = stableTokenId(m.path, tokenFacts(info));
          const known = this.tokensById.get(id);
          if (known && !known.removed && known.generation === m.generation && known.slot.equals(slot)) {
            known.facts = tokenFacts(info);
            next.set(id, known);
          } else {
            next.set(id, new Token(m, slot, info, this.opts));
          }
        }
      });
    }
    for (const [id, t] of this.tokensById) if (next.get(id) !== t) t.markRemoved();
    this.tokensById = next;
    if (this.signature() !== before) this.emit('changed', this.tokenJson());
    return this.tokens();
  }

  /**
   * Right after a re-initialisation (module lock held): tokens still present keep their Token
   * object, moved onto the new handles, so requests holding it (a user in the PIN dialog) go on.
   */
  private rebind(m: Pkcs11Module): void {
    if (!m.loaded) return;
    let slots: Buffer[] = [];
    try { slots = m.p11.C_GetSlotList(true); } catch { return; }
    for (const slot of slots) {
      let info;
      try { info = m.p11.C_GetTokenInfo(slot); } catch { continue; }
      const known = this.tokensById.get(stableTokenId(m.path, tokenFacts(info)));
      if (known && known.module === m && !known.removed) known.rebind(slot, info);
    }
  }

  private signature(): string {
    return this.tokens().map((t) => `${t.id}:${t.facts.flags}`).sort().join(',');
  }

  /** Certificates of one token or all; unreadable tokens are skipped (they may have just left). */
  async certificates(tokenId?: string): Promise<TokenCertificate[]> {
    const tokens = tokenId ? [this.getToken(tokenId)] : this.tokens();
    const out: TokenCertificate[] = [];
    for (const token of tokens) {
      let objs: TokenObjectCert[];
      try { objs = await token.certificates(); } catch (e) { if (tokenId) throw e; continue; }
      out.push(...this.entriesOf(token, objs));
    }
    return out;
  }

  /**
   * One entry list per read of a token's certificates (its cache, replaced when the token
   * changes): every sign looks its certificate up twice, so the entries are not rebuilt each time.
   */
  private readonly entries = new WeakMap<TokenObjectCert[], readonly TokenCertificate[]>();

  private entriesOf(token: Token, objs: TokenObjectCert[]): readonly TokenCertificate[] {
    let list = this.entries.get(objs);
    if (!list) {
      list = objs.map((object) => ({ id: `${token.id}-${object.sha256.slice(0, 16)}`, token, object }));
      this.entries.set(objs, list);
    }
    return list;
  }

  /** The user's certificates (not CA certificates). */
  async userCertificates(tokenId?: string): Promise<TokenCertificate[]> {
    return (await this.certificates(tokenId)).filter((c) => !c.object.isCa);
  }

  async findCertificate(certificateId: string): Promise<TokenCertificate> {
    const tokenId = certificateId.split('-')[0];
    const token = this.tokensById.get(tokenId);
    if (!token || token.removed) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, certificateId);
    const found = (await this.certificates(tokenId)).find((c) => c.id === certificateId);
    if (!found) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, certificateId);
    return found;
  }

  /** CA certificates the token carries, as chain material for validation. */
  async authorityCertificates(tokenId: string): Promise<X509Certificate[]> {
    return (await this.certificates(tokenId)).filter((c) => c.object.isCa).map((c) => new X509Certificate(c.object.der));
  }

  close(): void {
    for (const t of this.tokens()) t.markRemoved();
    this.tokensById.clear();
    for (const m of this.modules) m.close();
  }
}
