// Every credential provider the daemon runs (PKCS#11 tokens, .p12 files, …) seen as one: the core
// asks here and is routed to the provider that owns a token id.
import { EventEmitter } from 'node:events';
import { KysoError } from '../errors.js';
import type { TokenJson } from '../types.js';
import type { Credential, CredentialProvider } from './credentials.js';

export class CredentialRegistry extends EventEmitter {
  constructor(readonly providers: CredentialProvider[]) {
    super();
    for (const p of providers) p.onChange(() => this.emit('changed', this.tokens()));
  }

  tokens(): TokenJson[] {
    return this.providers.flatMap((p) => p.tokens());
  }

  providerOf(tokenId: string): CredentialProvider {
    const p = this.providers.find((x) => x.owns(tokenId));
    if (!p) throw new KysoError('TOKEN_NOT_PRESENT', {}, `token ${tokenId}`);
    return p;
  }

  /** Throws TOKEN_NOT_PRESENT for an unknown token id. */
  tokenJson(tokenId: string): TokenJson {
    const t = this.tokens().find((x) => x.id === tokenId);
    if (!t) throw new KysoError('TOKEN_NOT_PRESENT', {}, `token ${tokenId}`);
    return t;
  }

  async refresh(opts: { rescan?: boolean } = {}): Promise<void> {
    await Promise.all(this.providers.map((p) => p.refresh(opts)));
  }

  /** Credential ids are `<tokenId>-<certificate hash>`: the token id names the provider. */
  async find(credentialId: string): Promise<Credential> {
    const tokenId = credentialId.split('-')[0] ?? '';
    const p = this.providers.find((x) => x.owns(tokenId));
    if (!p) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, credentialId);
    return p.find(credentialId);
  }

  async authorities(tokenId: string): Promise<Buffer[]> {
    return this.providerOf(tokenId).authorities(tokenId);
  }

  async close(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.close()));
  }
}
