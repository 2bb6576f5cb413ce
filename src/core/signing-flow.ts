// The one interactive signing path: consent → PIN/password (re-asked only when the user types
// again) → unlock+sign as one provider job. Every adapter ends here, so the dialogs, the
// no-auto-retry rule and the PIN cache hold everywhere.
import { KysoError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CredentialRegistry } from './credential-registry.js';
import type { Credential, DigestSignRequest } from './credentials.js';
import type { ConsentCertificate, ConsentRequest, Dialogs, PinError } from './dialogs.js';
import type { PinCache } from './pin-cache.js';

export interface SignIntent {
  origin: string;
  purpose: ConsentRequest['purpose'];
  credential: Credential;
  consent: ConsentCertificate;
  requests: DigestSignRequest[];
  /** The user already agreed to this very request (picked the certificate in the chooser). */
  consented?: boolean;
  /** What a raw-hash consent shows. */
  hashHex?: string;
  signal?: AbortSignal;
}

function pinErrorFrom(e: KysoError): PinError {
  const d = e.data as { finalTry?: boolean; countLow?: boolean; retriesLeft?: number };
  if (d.finalTry || d.retriesLeft === 1) return { kind: 'final-try', retriesLeft: 1 };
  if (d.countLow) return { kind: 'count-low', retriesLeft: d.retriesLeft ?? null };
  return { kind: 'incorrect', retriesLeft: d.retriesLeft ?? null };
}

/** The token was there when the request began: gone now means it was pulled out. */
function stillThere<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw e instanceof KysoError && e.code === 'TOKEN_NOT_PRESENT' ? new KysoError('TOKEN_REMOVED', {}, e.detail) : e;
  }
}

export class SigningFlow {
  constructor(
    private readonly credentials: CredentialRegistry,
    private readonly dialogs: Dialogs,
    private readonly pinCache: PinCache,
    private readonly log: Logger,
  ) {}

  async sign(intent: SignIntent): Promise<Buffer[]> {
    const { credential, origin } = intent;
    const tokenId = credential.tokenId;
    this.refuseLocked(tokenId); // a locked token cannot sign: say so before any dialog
    // Every request shows its consent; the PIN cache only spares typing the PIN again.
    if (!intent.consented) {
      await this.dialogs.confirm({
        origin, purpose: intent.purpose, certificate: intent.consent, hashAlgorithm: intent.requests[0]?.hashAlgorithm, hashHex: intent.hashHex,
      }, { signal: intent.signal });
    }
    const provider = stillThere(() => this.credentials.providerOf(tokenId));
    if (this.pinCache.valid(tokenId, origin)) return provider.sign(credential, intent.requests);
    let error: PinError | undefined;
    for (;;) {
      this.refuseLocked(tokenId);
      const { method, label } = stillThere(() => ({ method: provider.unlockMethod(tokenId), label: this.credentials.tokenJson(tokenId).label }));
      // Fresh from the user for every attempt; nothing is kept between attempts.
      const secret = method === 'pin-pad' ? null : await this.dialogs.getPin({
        tokenLabel: label, certificateName: intent.consent.name, origin, error, secretKind: method === 'password' ? 'password' : 'pin',
      }, { signal: intent.signal });
      try {
        const sigs = await provider.sign(credential, intent.requests, { authorization: { secret }, keepUnlocked: this.pinCache.enabled });
        if (this.pinCache.enabled) this.pinCache.remember(provider, tokenId, origin); else this.pinCache.forget(tokenId);
        return sigs;
      } catch (e) {
        this.pinCache.forget(tokenId);
        if (!(e instanceof KysoError) || e.code !== 'PIN_INCORRECT' || secret === null) throw e;
        error = pinErrorFrom(e);
        this.log.info({ origin, token: tokenId, countLow: error.kind !== 'incorrect' }, 'wrong PIN entered; asking the user again');
      }
    }
  }

  private refuseLocked(tokenId: string): void {
    const locked = stillThere(() => this.credentials.providerOf(tokenId).pinState(tokenId).locked);
    if (locked) throw new KysoError('PIN_LOCKED', { retriesLeft: 0 }, this.credentials.tokenJson(tokenId).label);
  }
}
