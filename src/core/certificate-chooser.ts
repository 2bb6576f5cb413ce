// Which credential a request uses: validation status (cached), the consent view, the chooser
// dialog when the page named none, and opening locked certificate files to read them.
import type { CertificateStatus, ValidateOptions } from '../certs/index.js';
import { KysoError } from '../errors.js';
import type { CertificateJson } from '../types.js';
import type { CredentialRegistry } from './credential-registry.js';
import type { Credential } from './credentials.js';
import type { ChoosableCertificate, ConsentCertificate, ConsentRequest, Dialogs } from './dialogs.js';

type Lang = 'vi' | 'en';
type Purpose = 'sign' | 'auth';
/** Who the page expects (the portal's Công dân / Doanh nghiệp / Cơ quan nhà nước choice). */
export type Audience = 'person' | 'organization' | 'civil-servant';

interface CallContext { origin: string; signal?: AbortSignal; lang?: Lang }

/** A validation result is reused this long: long enough for a burst of signs, short enough for dates. */
const STATUS_CACHE_MS = 60_000;

export type CertificateWithStatus = CertificateJson & { status: CertificateStatus };

export interface Choice { credential: Credential; consent: ConsentCertificate; consented: boolean }

export class CertificateChooser {
  private readonly statusCache = new Map<string, { status: CertificateStatus; until: number }>();
  private certificateView?: (c: Credential) => CertificateJson;
  /** Per origin, the certificate the user picked last (this run of the daemon). */
  private readonly lastChoice = new Map<string, string>();

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

  /** Credentials readable without a dialog (locked certificate files left out), with their status. */
  async describeListable(lang?: Lang): Promise<CertificateWithStatus[]> {
    await this.loadView();
    const creds: Credential[] = [];
    for (const provider of this.credentials.providers) {
      for (const token of provider.tokens()) {
        if (provider.listable(token.id)) creds.push(...await provider.credentials(token.id).catch(() => []));
      }
    }
    return Promise.all(creds.map(async (c) => ({ ...this.view(c), status: await this.status(c, 'sign', lang) })));
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

  /**
   * The credential for a request. Without an id: the only valid one, or the chooser — valid
   * certificates first (starting at this origin's last choice, else the first that fits the
   * page's audience), then the unusable ones with the reason, so the user sees why a token
   * is not offered.
   */
  async pick(ctx: CallContext, certificateId: string | undefined, purpose: ConsentRequest['purpose'], audience?: Audience): Promise<Choice> {
    const validity: Purpose = purpose === 'auth' ? 'auth' : 'sign';
    if (certificateId) {
      const credential = await this.credentials.find(certificateId);
      return { credential, consent: await this.usable(credential, validity, ctx.lang), consented: false };
    }
    await this.credentials.refresh();
    const valid: { credential: Credential; consent: ConsentCertificate }[] = [];
    const invalid: ChoosableCertificate[] = [];
    let firstInvalid: CertificateStatus | undefined;
    for (const credential of await this.readable(ctx)) {
      if (!credential.hasPrivateKey) continue;
      const status = await this.status(credential, validity, ctx.lang);
      const consent = this.consentOf(this.view(credential), status);
      if (status.ok) valid.push({ credential, consent });
      else {
        firstInvalid ??= status;
        invalid.push({ ...consent, unusable: { vi: status.message, en: status.messageEn } });
      }
    }
    if (valid.length === 0) {
      // Say why (expired, untrusted…): the page shows the validator's message.
      if (firstInvalid) throw new KysoError('CERTIFICATE_INVALID', { status: firstInvalid }, `no valid certificate on the tokens: ${firstInvalid.code}`);
      throw new KysoError('TOKEN_NOT_PRESENT');
    }
    if (valid.length === 1 && invalid.length === 0) return { ...valid[0]!, consented: false };
    const start = await this.startIndex(ctx.origin, valid.map((v) => v.credential), audience);
    const i = await this.dialogs.chooseCertificate({
      origin: ctx.origin, purpose, start, certificates: [...valid.map((v) => v.consent), ...invalid],
    }, { signal: ctx.signal });
    const chosen = valid[i];
    if (!chosen) throw new KysoError('USER_CANCELLED', {}, 'no usable certificate chosen');
    this.lastChoice.set(ctx.origin, chosen.credential.id);
    return { ...chosen, consented: true };
  }

  private async startIndex(origin: string, valid: Credential[], audience?: Audience): Promise<number> {
    const last = valid.findIndex((c) => c.id === this.lastChoice.get(origin));
    if (last >= 0) return last;
    if (!audience) return 0;
    const { identityKind } = await import('./certificate-view.js');
    return Math.max(0, valid.findIndex((c) => identityKind(c) === audience));
  }
}
