// The signer seam: what the core needs from anything that holds keys — a PKCS#11 token, a
// .p12/.pfx file, later a cloud key service (CSC). The core sees containers ("tokens"),
// credentials (certificate + key facts) and digests to sign; never sessions, handles or files.
import type { HashAlgorithm, PinState, SignAlgorithm, TokenJson } from '../types.js';

export type { SignAlgorithm };

/** One digest made by the core. RSA PKCS#1 v1.5: the provider wraps it in a DigestInfo. */
export interface DigestSignRequest {
  algorithm: SignAlgorithm;
  hashAlgorithm: HashAlgorithm;
  digest: Buffer;
  /** RSA-PSS salt length in bytes; default: the hash length. */
  saltLength?: number;
}

export interface Credential {
  /** Stable and provider-namespaced: `<tokenId>-<first 16 hex of the certificate's SHA-256>`. */
  id: string;
  tokenId: string;
  label: string;
  /** DER. */
  certificate: Buffer;
  /** Hex SHA-256 of the certificate. */
  sha256: string;
  /** 'rsa', 'rsa-pss', 'ec'. */
  keyType: string;
  hasPrivateKey: boolean;
}

/** How a container is opened: a PIN typed in our dialog, the device's own PIN pad, a file password. */
export type UnlockMethod = 'pin' | 'pin-pad' | 'password';

/** What the user gave to open a container. `secret` null: the PIN pad. A cloud key adds an OTP. */
export interface Authorization {
  secret: string | null;
  otp?: string;
}

export interface SignOptions {
  /** Unlock first, in the same job as the signatures (nothing interleaves). */
  authorization?: Authorization;
  /** Stay unlocked afterwards (the PIN cache); otherwise lock again at once. */
  keepUnlocked?: boolean;
}

export interface CredentialProvider {
  readonly kind: string;
  /** The containers this provider sees now. */
  tokens(): TokenJson[];
  owns(tokenId: string): boolean;
  /** Re-reads the containers; `rescan` also re-initialises drivers that need it to see new ones. */
  refresh(opts?: { rescan?: boolean }): Promise<void>;
  unlockMethod(tokenId: string): UnlockMethod;
  pinState(tokenId: string): PinState;
  /** False while the container must be unlocked before its certificates can even be read. */
  listable(tokenId: string): boolean;
  /** Opens the container only to read its certificates (an encrypted .p12): no key kept. */
  unlockForListing(tokenId: string, authorization: Authorization): Promise<void>;
  credentials(tokenId?: string): Promise<Credential[]>;
  /** CA certificates the container carries (DER), as chain material. */
  authorities(tokenId: string): Promise<Buffer[]>;
  find(credentialId: string): Promise<Credential>;
  isUnlocked(tokenId: string): boolean;
  /** Signs several digests with one authorization; signatures in request order (ECDSA: raw r‖s). */
  sign(credential: Credential, requests: DigestSignRequest[], opts?: SignOptions): Promise<Buffer[]>;
  lock(tokenId: string): Promise<void>;
  /** Fires with the provider's new token list when containers come, go or change PIN state. */
  onChange(listener: (tokens: TokenJson[]) => void): void;
  close(): Promise<void> | void;
}
