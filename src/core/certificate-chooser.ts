// Which credential a request uses: validation status (cached), the consent view, the chooser
// dialog when the page named none, and opening locked certificate files to read them.
import type { CertificateStatus, ValidateOptions } from '../certs/index.js';
import { KysoError } from '../errors.js';
import type { CertificateJson } from '../types.js';
import type { CredentialRegistry } from './credential-registry.js';
import type { Credential } from './credentials.js';
import type { ConsentCertificate, ConsentRequest, Dialogs } from './dialogs.js';

type Lang = 'vi' | 'en';
type Purpose = 'sign' | 'auth';

interface CallContext { origin: string; signal?: AbortSignal; lang?: Lang }

/** A validation result is reused this long: long enough for a burst of signs, short enough for dates. */
export const STATUS_CACHE_MS = 60_000;

export interface Choice { credential: Credential; consent: ConsentCertificate; consented: boolean }

export class CertificateChooser {
  private readonly statusCache = new Map<string, { status: CertificateStatus; until: number }>();
  private certificateView?: (c: Credential) => CertificateJson;

  constructor(
    private readonly credentials: CredentialRegistry,
    private readonly dialogs: Dialogs,
    private readonly validation: Omit<ValidateOptions, 'purpose' | 'intermediates' | 'at'>,
  ) {}

  /** The X.509 library loads on first use: the daemon starts without it. */
  view(c: Credential): CertificateJson {
    return this.certificateView!(c);
  }

  private async loadView(): Promise<void> {
    this.certificateView ??= (await import('./certificate-view.js')).certificateView;
  }

  async status(c: Credential, purpose: Purpose, lang?: Lang): Promise<CertificateStatus> {
    const key = `${c.sha256}:${purpose}:${lang ?? ''}`;
    const hit = this.statusCache.get(key);
    if (hit && hit.until > Date.now()) return hit.status;
    const intermediates = await this.credentials.authorities(c.tokenId);
    const { validateCertificate } = await import('../certs/validate.js');
    const status = await validateCertificate(c.certificate, { ...this.validation, purpose, intermediates, lang: lang ?? this.validation.lang });
    this.statusCache.set(key, { status, until: Date.now() + STATUS_CACHE_MS });
    return status;
  }

  consentOf(view: CertificateJson, status: CertificateStatus): ConsentCertificate {
    const issuerCn = /(?:^|, )CN=([^,]+)/.exec(view.issuer)?.[1];
    return {
      name: view.identity.organization && view.identity.taxCode ? view.identity.organization : view.identity.commonName ?? view.subject,
      taxCode: view.identity.taxCode, citizenId: view.identity.citizenId, legacyId: view.identity.legacyId,
      caName: issuerCn ?? status.chain[1] ?? view.issuer, validUntil: view.notAfter,
    };
  }

  /** Checked before any dialog: an unusable certificate never gets a PIN prompt. */
  async usable(c: Credential, purpose: Purpose, lang?: Lang): Promise<ConsentCertificate> {
    await this.loadView();
    const view = this.view(c);
    const status = await this.status(c, purpose, lang);
    if (!status.ok) throw new KysoError('CERTIFICATE_INVALID', { status }, `${view.subject}: ${status.code}`);
    if (!c.hasPrivateKey) throw new KysoError('KEY_NOT_FOUND', {}, view.subject);
    return this.consentOf(view, status);
  }

  /**
   * The user's credentials, opening locked certificate files with their password first (asked
   * in our dialog; a file the user declines to open is left out, the others are listed).
   */
  async readable(ctx: CallContext, tokenId?: string): Promise<Credential[]> {
    await this.loadView();
    const out: Credential[] = [];
    for (const provider of this.credentials.providers) {
      for (const token of provider.tokens()) {
        if (tokenId && token.id !== tokenId) continue;
        if (!provider.listable(token.id) && !(await this.openForListing(ctx, token.id, token.label))) continue;
        out.push(...await provider.credentials(token.id).catch((e) => { if (tokenId) throw e; return []; }));
      }
    }
    return out;
  }

  private async openForListing(ctx: CallContext, tokenId: string, label: string): Promise<boolean> {
    const provider = this.credentials.providerOf(tokenId);
    let error: { kind: 'incorrect' } | undefined;
    for (;;) {
      let secret: string;
      try {
        secret = await this.dialogs.getPin({ tokenLabel: label, certificateName: label, origin: ctx.origin, secretKind: 'password', error }, { signal: ctx.signal });
      } catch (e) {
        if (e instanceof KysoError && e.code === 'USER_CANCELLED' && !ctx.signal?.aborted) return false;
        throw e;
      }
      try {
        await provider.unlockForListing(tokenId, { secret });
        return true;
      } catch (e) {
        if (!(e instanceof KysoError) || e.code !== 'PIN_INCORRECT') throw e;
        error = { kind: 'incorrect' };
      }
    }
  }

  async pick(ctx: CallContext, certificateId: string | undefined, purpose: ConsentRequest['purpose'] & Purpose): Promise<Choice> {
    if (certificateId) {
      const credential = await this.credentials.find(certificateId);
      return { credential, consent: await this.usable(credential, purpose, ctx.lang), consented: false };
    }
    await this.credentials.refresh();
    const candidates: { credential: Credential; consent: ConsentCertificate }[] = [];
    let firstInvalid: CertificateStatus | undefined;
    for (const credential of await this.readable(ctx)) {
      if (!credential.hasPrivateKey) continue;
      const status = await this.status(credential, purpose, ctx.lang);
      if (status.ok) candidates.push({ credential, consent: this.consentOf(this.view(credential), status) });
      else firstInvalid ??= status;
    }
    if (candidates.length === 0) {
      // Say why (expired, untrusted…): the page shows the validator's message.
      if (firstInvalid) throw new KysoError('CERTIFICATE_INVALID', { status: firstInvalid }, `no valid certificate on the tokens: ${firstInvalid.code}`);
      throw new KysoError('TOKEN_NOT_PRESENT');
    }
    if (candidates.length === 1) return { ...candidates[0]!, consented: false };
    const i = await this.dialogs.chooseCertificate({ origin: ctx.origin, purpose, certificates: candidates.map((c) => c.consent) }, { signal: ctx.signal });
    return { ...candidates[i]!, consented: true };
  }
}
