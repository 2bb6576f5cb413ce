// The second credential provider: certificate files (.p12/.pfx), one "token" per file, opened
// with the file's password in the same dialog as a PIN. Files are read at refresh(); a file that
// cannot be read is left out and logged, never fatal.
import { resolve } from 'node:path';
import { KysoError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type {
  Authorization, Credential, CredentialProvider, DigestSignRequest, SignOptions, UnlockMethod,
} from '../core/credentials.js';
import type { PinState, TokenJson } from '../types.js';
import { P12Token, p12TokenId } from './p12-token.js';

export interface P12ProviderOptions {
  /** Paths of .p12/.pfx files (`serve --p12 FILE`, config `p12Files`); relative ones resolve against the working directory. */
  files: string[];
  logger?: Logger;
}

export class P12Provider implements CredentialProvider {
  readonly kind = 'p12';
  private readonly paths: string[];
  private readonly logger: Logger;
  private byId = new Map<string, P12Token>();
  private readonly listeners: Array<(tokens: TokenJson[]) => void> = [];

  /** Reads nothing yet: call refresh() once to load the files. */
  constructor(opts: P12ProviderOptions) {
    this.paths = [...new Set(opts.files.map((f) => resolve(f)))];
    this.logger = opts.logger ?? silentLogger;
  }

  tokens(): TokenJson[] {
    return [...this.byId.values()].map((t) => t.json());
  }

  owns(tokenId: string): boolean {
    return this.byId.has(tokenId);
  }

  /** Re-reads every file: new or readable again → added; gone or unreadable → removed; changed bytes → anew. */
  async refresh(): Promise<void> {
    const next = new Map<string, P12Token>();
    for (const path of this.paths) {
      const token = await this.load(path, this.byId.get(p12TokenId(path)));
      if (token) next.set(token.id, token);
    }
    const changed = next.size !== this.byId.size || [...next].some(([id, t]) => this.byId.get(id) !== t);
    for (const [id, old] of this.byId) if (next.get(id) !== old) old.lock();
    this.byId = next;
    if (changed) this.emit();
  }

  unlockMethod(tokenId: string): UnlockMethod {
    this.token(tokenId);
    return 'password';
  }

  pinState(tokenId: string): PinState {
    return this.token(tokenId).pinState();
  }

  listable(tokenId: string): boolean {
    return this.token(tokenId).listable;
  }

  async unlockForListing(tokenId: string, authorization: Authorization): Promise<void> {
    if (this.token(tokenId).unlockForListing(authorization.secret)) this.emit();
  }

  async credentials(tokenId?: string): Promise<Credential[]> {
    if (tokenId !== undefined) return this.token(tokenId).credentials();
    return [...this.byId.values()].flatMap((t) => t.credentials());
  }

  async authorities(tokenId: string): Promise<Buffer[]> {
    return this.token(tokenId).authorities();
  }

  async find(credentialId: string): Promise<Credential> {
    const tokenId = credentialId.split('-')[0];
    const found = this.byId.get(tokenId)?.credentials().find((c) => c.id === credentialId);
    if (!found) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, credentialId);
    return found;
  }

  isUnlocked(tokenId: string): boolean {
    return this.byId.get(tokenId)?.unlocked ?? false;
  }

  async sign(credential: Credential, requests: DigestSignRequest[], opts: SignOptions = {}): Promise<Buffer[]> {
    const { signatures, listChanged } = this.token(credential.tokenId).sign(credential, requests, opts);
    if (listChanged) this.emit();
    return signatures;
  }

  async lock(tokenId: string): Promise<void> {
    this.byId.get(tokenId)?.lock();
  }

  onChange(listener: (tokens: TokenJson[]) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    for (const token of this.byId.values()) token.lock();
    this.listeners.length = 0;
  }

  private token(tokenId: string): P12Token {
    const token = this.byId.get(tokenId);
    if (!token) throw new KysoError('TOKEN_NOT_PRESENT', {}, `token ${tokenId}`);
    return token;
  }

  private async load(path: string, previous?: P12Token): Promise<P12Token | null> {
    try {
      return await P12Token.load(path, previous);
    } catch (e) {
      const reason = e instanceof KysoError ? (e.detail ?? e.message) : (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.logger.warn({ file: path, reason }, 'p12 file skipped');
      return null;
    }
  }

  private emit(): void {
    const tokens = this.tokens();
    for (const listener of this.listeners) {
      try {
        listener(tokens);
      } catch (e) {
        this.logger.error({ err: e }, 'p12 change listener failed');
      }
    }
  }
}
