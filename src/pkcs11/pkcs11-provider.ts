// PKCS#11 tokens as a credential provider: the token layer (modules, slots, sessions, login,
// hot-plug watching) behind the core's CredentialProvider seam.
import { KysoError } from '../errors.js';
import type { Credential, CredentialProvider, DigestSignRequest, SignOptions, UnlockMethod } from '../core/credentials.js';
import type { PinState, TokenJson } from '../types.js';
import type { SignRequest } from './mechanism.js';
import type { TokenCertificate, TokenManager } from './token-manager.js';
import type { TokenWatcher } from './token-watcher.js';

export function credentialOf(c: TokenCertificate): Credential {
  return {
    id: c.id, tokenId: c.token.id, label: c.object.label, certificate: c.object.der, sha256: c.object.sha256,
    keyType: c.object.keyType, hasPrivateKey: c.object.hasKeyPair,
  };
}

function requestOf(r: DigestSignRequest): SignRequest {
  return { algorithm: r.algorithm, hashAlgorithm: r.hashAlgorithm, hash: r.digest, saltLength: r.saltLength };
}

export class Pkcs11Provider implements CredentialProvider {
  readonly kind = 'pkcs11';

  constructor(readonly manager: TokenManager, private readonly watcher?: TokenWatcher) {
    watcher?.start();
  }

  tokens(): TokenJson[] {
    return this.manager.tokenJson();
  }

  owns(tokenId: string): boolean {
    return this.manager.tokens().some((t) => t.id === tokenId);
  }

  async refresh(opts: { rescan?: boolean } = {}): Promise<void> {
    await this.manager.refresh(opts);
  }

  unlockMethod(tokenId: string): UnlockMethod {
    return this.manager.getToken(tokenId).pin.protectedAuthenticationPath ? 'pin-pad' : 'pin';
  }

  /** Read fresh from the token: the retry flags change with every wrong PIN. */
  pinState(tokenId: string): PinState {
    const token = this.manager.getToken(tokenId);
    token.probe();
    return token.pin;
  }

  listable(): boolean {
    return true;
  }

  async unlockForListing(): Promise<void> {
    // Certificates are public objects on a token: nothing to open.
  }

  async credentials(tokenId?: string): Promise<Credential[]> {
    return (await this.manager.userCertificates(tokenId)).map(credentialOf);
  }

  async authorities(tokenId: string): Promise<Buffer[]> {
    return (await this.manager.certificates(tokenId)).filter((c) => c.object.isCa).map((c) => c.object.der);
  }

  async find(credentialId: string): Promise<Credential> {
    return credentialOf(await this.manager.findCertificate(credentialId));
  }

  isUnlocked(tokenId: string): boolean {
    const t = this.manager.tokens().find((x) => x.id === tokenId);
    return !!t && t.loggedIn && !t.removed;
  }

  async sign(credential: Credential, requests: DigestSignRequest[], opts: SignOptions = {}): Promise<Buffer[]> {
    // Found again by id: a dialog may have lasted through a module re-initialisation.
    const current = await this.current(credential.id);
    const reqs = requests.map(requestOf);
    if (opts.authorization) return current.token.signAllWithPin(current.object, opts.authorization.secret, reqs, !!opts.keepUnlocked);
    const out: Buffer[] = [];
    for (const r of reqs) out.push(await current.token.sign(current.object, r));
    return out;
  }

  private async current(credentialId: string): Promise<TokenCertificate> {
    try {
      return await this.manager.findCertificate(credentialId);
    } catch (e) {
      throw e instanceof KysoError && e.code === 'CERTIFICATE_NOT_FOUND' ? new KysoError('TOKEN_REMOVED', {}, credentialId) : e;
    }
  }

  async lock(tokenId: string): Promise<void> {
    const t = this.manager.tokens().find((x) => x.id === tokenId);
    await t?.logout();
  }

  onChange(listener: (tokens: TokenJson[]) => void): void {
    this.manager.on('changed', listener);
  }

  close(): void {
    this.watcher?.stop();
    this.manager.close();
  }
}
