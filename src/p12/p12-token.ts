// One .p12/.pfx file seen as a token: its public facts, the certificates once they could be
// read, and — only while the PIN cache asks for it — the private keys.
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { KysoError } from '../errors.js';
import type { Credential, DigestSignRequest, SignOptions } from '../core/credentials.js';
import type { PinState, TokenJson } from '../types.js';
import { checkKeyFits } from '../crypto/key-fit.js';
import { decryptP12, readPublicView } from './p12-file.js';
import { identitiesFromKeys, identitiesFromView, sha256Hex, type P12Identities } from './p12-identity.js';
import { signDigest } from './digest-signer.js';

const PIN_STATE: PinState = {
  loginRequired: true, protectedAuthenticationPath: false, countLow: false, finalTry: false, locked: false, retriesLeft: null,
};

/** Stable across restarts, hex like PKCS#11 token ids: the first 16 hex of SHA-256(absolute path). */
export function p12TokenId(absolutePath: string): string {
  return createHash('sha256').update(absolutePath).digest('hex').slice(0, 16);
}

export class P12Token {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the file's bytes: a refresh that finds other bytes starts the token anew. */
  readonly contentHash: string;
  private credentialList: Credential[] | null = null;
  private authorityList: Buffer[] = [];
  /** Kept only under keepUnlocked (the PIN cache); credential id → key. */
  private keptKeys: Map<string, KeyObject> | null = null;

  private constructor(readonly path: string, private readonly der: Buffer) {
    this.id = p12TokenId(path);
    this.name = basename(path);
    this.contentHash = sha256Hex(der);
    const view = readPublicView(der, this.name);
    if (!view.encrypted) this.adopt(identitiesFromView(view));
  }

  /**
   * Reads the file; unreadable or not a PKCS#12 → throws (the provider skips it). The same bytes
   * as `previous` keep that token (no second parse, its unlocked certificates stay).
   */
  static async load(absolutePath: string, previous?: P12Token): Promise<P12Token> {
    const der = await readFile(absolutePath);
    if (previous && previous.contentHash === sha256Hex(der)) return previous;
    return new P12Token(absolutePath, der);
  }

  json(): TokenJson {
    return {
      id: this.id, label: this.name, manufacturer: 'PKCS#12', model: 'PKCS#12 file', serial: '',
      module: { path: this.path, name: 'PKCS#12 file' }, pin: { ...PIN_STATE },
    };
  }

  pinState(): PinState {
    return { ...PIN_STATE };
  }

  get listable(): boolean {
    return this.credentialList !== null;
  }

  get unlocked(): boolean {
    return this.keptKeys !== null;
  }

  /** Reads the certificates with the password; keeps no key. True when the list changed. */
  unlockForListing(secret: string | null): boolean {
    if (this.listable) return false;
    const contents = decryptP12(this.der, requirePassword(secret, this.name), this.name);
    this.adopt(identitiesFromKeys(contents.certificates, contents.keys));
    contents.keys.length = 0;
    return true;
  }

  credentials(): Credential[] {
    return this.credentialList ?? [];
  }

  authorities(): Buffer[] {
    return this.authorityList;
  }

  /**
   * Signs every digest with one unlock. Returns whether the certificate list changed (a file
   * first opened by a signature). Every refusable condition is checked before the password is used.
   */
  sign(credential: Credential, requests: DigestSignRequest[], opts: SignOptions): { signatures: Buffer[]; listChanged: boolean } {
    for (const r of requests) checkKeyFits(credential.keyType, r.algorithm);
    const known = this.credentialList?.find((c) => c.id === credential.id);
    if (this.listable && !known) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, credential.id);
    if (known && !known.hasPrivateKey) throw new KysoError('KEY_NOT_FOUND', {}, credential.id);
    let listChanged = false;
    let keys = this.keptKeys;
    if (opts.authorization || !keys) {
      const opened = this.openKeys(opts.authorization?.secret ?? null);
      listChanged = opened.listChanged;
      keys = opened.keys;
    }
    const key = keys.get(credential.id);
    if (!key) throw new KysoError('KEY_NOT_FOUND', {}, credential.id);
    try {
      return { signatures: requests.map((r) => signDigest(key, r)), listChanged };
    } finally {
      // keepUnlocked keeps what this sign used; otherwise every key is dropped, a kept one too.
      this.keptKeys = opts.keepUnlocked ? keys : null;
    }
  }

  lock(): void {
    this.keptKeys = null;
  }

  private openKeys(secret: string | null): { keys: Map<string, KeyObject>; listChanged: boolean } {
    const contents = decryptP12(this.der, requirePassword(secret, this.name), this.name);
    const identities = identitiesFromKeys(contents.certificates, contents.keys);
    const listChanged = !this.listable;
    if (listChanged) this.adopt(identities);
    const keys = new Map<string, KeyObject>();
    for (const user of identities.users) {
      if (user.keyIndex !== null) keys.set(credentialId(this.id, user.der), contents.keys[user.keyIndex]);
    }
    contents.keys.length = 0;
    return { keys, listChanged };
  }

  private adopt(identities: P12Identities): void {
    this.credentialList = identities.users.map((u) => this.credentialOf(u.der, u.hasPrivateKey));
    this.authorityList = identities.authorities;
  }

  private credentialOf(der: Buffer, hasPrivateKey: boolean): Credential {
    const x509 = new X509Certificate(der);
    return {
      id: credentialId(this.id, der), tokenId: this.id, label: commonName(x509.subject) ?? this.name,
      certificate: der, sha256: sha256Hex(der), keyType: x509.publicKey.asymmetricKeyType ?? '', hasPrivateKey,
    };
  }
}

function credentialId(tokenId: string, der: Buffer): string {
  return `${tokenId}-${sha256Hex(der).slice(0, 16)}`;
}

function commonName(subject: string): string | undefined {
  return subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
}

function requirePassword(secret: string | null, name: string): string {
  // A file has no PIN pad: the core must ask for its password (unlockMethod 'password').
  if (secret === null) throw new KysoError('INVALID_PARAMS', {}, `${name} opens with a password, none given`);
  return secret;
}
