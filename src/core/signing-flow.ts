// The one interactive signing path: consent → PIN (re-asked only when the user types again) →
// login+sign as one token job. Every adapter (JSON-RPC today, VGCA/VNPT endpoints later) ends
// here, so the dialogs, the no-auto-retry rule and the PIN cache hold everywhere.
import { KysoError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SignRequest } from '../pkcs11/mechanism.js';
import type { TokenCertificate } from '../pkcs11/token-manager.js';
import type { ConsentCertificate, PinError } from '../pin/texts.js';
import type { Dialogs } from './dialogs.js';
import type { PinCache } from './pin-cache.js';

export interface SignIntent {
  origin: string;
  purpose: 'auth' | 'sign-hash';
  cert: TokenCertificate;
  consent: ConsentCertificate;
  request: SignRequest;
  /** The user already agreed (picked this certificate in the chooser). */
  consented?: boolean;
  hashHex?: string;
  signal?: AbortSignal;
  /**
   * Finds the certificate again after a dialog: the user may take a while, and a module
   * re-initialisation meanwhile replaces Token objects (same id, new handles).
   */
  resolve?: () => Promise<TokenCertificate>;
}

function pinErrorFrom(e: KysoError): PinError {
  const d = e.data as { finalTry?: boolean; countLow?: boolean; retriesLeft?: number };
  if (d.finalTry || d.retriesLeft === 1) return { kind: 'final-try', retriesLeft: 1 };
  if (d.countLow) return { kind: 'count-low', retriesLeft: d.retriesLeft ?? null };
  return { kind: 'incorrect', retriesLeft: d.retriesLeft ?? null };
}

export class SigningFlow {
  constructor(private readonly dialogs: Dialogs, private readonly pinCache: PinCache, private readonly log: Logger) {}

  async sign(intent: SignIntent): Promise<Buffer> {
    const { cert, origin } = intent;
    const token = cert.token;
    // Signing hashes inside an open PIN-cache window needs no dialog (the user opted in).
    if (intent.purpose === 'sign-hash' && this.pinCache.valid(token, origin)) {
      return token.sign(cert.object, intent.request);
    }
    if (!intent.consented) {
      await this.dialogs.confirm({ origin, purpose: intent.purpose, certificate: intent.consent, hashAlgorithm: intent.request.hashAlgorithm, hashHex: intent.hashHex }, { signal: intent.signal });
    }
    if (intent.purpose === 'auth' && this.pinCache.valid(token, origin)) {
      return token.sign(cert.object, intent.request);
    }
    let error: PinError | undefined;
    for (;;) {
      const current = intent.resolve ? await intent.resolve() : cert;
      const token = current.token;
      token.probe();
      if (token.pin.locked) throw new KysoError('PIN_LOCKED', { retriesLeft: 0 }, token.facts.label);
      const padEntry = token.pin.protectedAuthenticationPath;
      // Fresh PIN from the user for every attempt; nothing is kept between attempts.
      const pin = padEntry ? null : await this.dialogs.getPin(
        { tokenLabel: token.facts.label, certificateName: intent.consent.name, origin, error }, { signal: intent.signal });
      try {
        // Again after the PIN dialog, which may have lasted through a module re-initialisation.
        const target = intent.resolve ? await intent.resolve() : current;
        const sig = await target.token.signWithPin(target.object, pin, intent.request, this.pinCache.enabled);
        if (this.pinCache.enabled) this.pinCache.remember(target.token, origin); else this.pinCache.forget(token.id);
        return sig;
      } catch (e) {
        this.pinCache.forget(token.id);
        if (!(e instanceof KysoError) || e.code !== 'PIN_INCORRECT' || padEntry) throw e;
        error = pinErrorFrom(e);
        this.log.info({ origin, token: token.id, countLow: error.kind !== 'incorrect' }, 'wrong PIN entered; asking the user again');
      }
    }
  }
}
