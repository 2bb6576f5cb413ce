// The one core service every adapter calls: list tokens and certificates (with validation
// status), make the origin-bound auth proof, sign a hash. It refuses an invalid certificate
// before any dialog, and never sees the transport.
import { X509Certificate } from 'node:crypto';
import type { CertificateStatus, ValidateOptions } from '../certs/index.js';
import { KysoError } from '../errors.js';
import type { Logger } from '../log.js';
import type { TokenCertificate, TokenManager } from '../pkcs11/token-manager.js';
import type { ConsentCertificate } from '../pin/texts.js';
import type { CertificateJson, HashAlgorithm, TokenJson } from '../types.js';
import { AUTH_FORMAT, authMessage, type AuthToken } from '../proof/auth-proof.js';
import { authAlgorithmFor, signRequestFor } from './auth-proof.js';
import type { Dialogs } from './dialogs.js';
import type { PinCache } from './pin-cache.js';
import { SigningFlow } from './signing-flow.js';

export type CertificateWithStatus = CertificateJson & { status: CertificateStatus };

export interface BridgeServiceOptions {
  tokens: TokenManager;
  dialogs: Dialogs;
  pinCache: PinCache;
  /** Trust anchors, revocation policy, fetcher… for every validation. */
  validation: Omit<ValidateOptions, 'purpose' | 'intermediates' | 'at'>;
  log: Logger;
}

export interface CallContext {
  origin: string;
  signal?: AbortSignal;
  lang?: 'vi' | 'en';
}

/** A validation result is reused this long: long enough for a burst of signs, short enough for dates. */
export const STATUS_CACHE_MS = 60_000;

export class BridgeService {
  private readonly flow: SigningFlow;
  private readonly statusCache = new Map<string, { status: CertificateStatus; until: number }>();

  constructor(private readonly opts: BridgeServiceOptions) {
    this.flow = new SigningFlow(opts.dialogs, opts.pinCache, opts.log);
  }

  get tokens(): TokenManager {
    return this.opts.tokens;
  }

  async listTokens(): Promise<TokenJson[]> {
    await this.opts.tokens.refresh();
    return this.opts.tokens.tokenJson();
  }

  private async status(c: TokenCertificate, purpose: 'sign' | 'auth', lang?: 'vi' | 'en'): Promise<CertificateStatus> {
    const key = `${c.object.sha256}:${purpose}:${lang ?? ''}`;
    const hit = this.statusCache.get(key);
    if (hit && hit.until > Date.now()) return hit.status;
    const intermediates = (await this.opts.tokens.authorityCertificates(c.token.id)).map((x) => x.raw);
    // The certificate layer loads on first use: the daemon starts without its libraries.
    const { validateCertificate } = await import('../certs/validate.js');
    const status = await validateCertificate(c.object.der, { ...this.opts.validation, purpose, intermediates, lang: lang ?? this.opts.validation.lang });
    this.statusCache.set(key, { status, until: Date.now() + STATUS_CACHE_MS });
    return status;
  }

  /** certificate-view pulls in the X.509 library: loaded on first use, like validation. */
  private async view(c: TokenCertificate): Promise<CertificateJson> {
    const { certificateView } = await import('./certificate-view.js');
    return certificateView(c);
  }

  async listCertificates(tokenId: string | undefined, ctx: Pick<CallContext, 'lang'> = {}): Promise<CertificateWithStatus[]> {
    if (tokenId) this.opts.tokens.getToken(tokenId);
    const certs = await this.opts.tokens.userCertificates(tokenId);
    return Promise.all(certs.map(async (c) => ({ ...(await this.view(c)), status: await this.status(c, 'sign', ctx.lang) })));
  }

  private consentOf(view: CertificateJson, status: CertificateStatus): ConsentCertificate {
    const issuerCn = /(?:^|, )CN=([^,]+)/.exec(view.issuer)?.[1];
    return {
      name: view.identity.organization && view.identity.taxCode ? view.identity.organization : view.identity.commonName ?? view.subject,
      taxCode: view.identity.taxCode, citizenId: view.identity.citizenId, legacyId: view.identity.legacyId,
      caName: issuerCn ?? status.chain[1] ?? view.issuer, validUntil: view.notAfter,
    };
  }

  /** Checked before any dialog: an unusable certificate never gets a PIN prompt. */
  private async usable(c: TokenCertificate, purpose: 'sign' | 'auth', lang?: 'vi' | 'en'): Promise<{ view: CertificateJson; status: CertificateStatus }> {
    const view = await this.view(c);
    const status = await this.status(c, purpose, lang);
    if (!status.ok) throw new KysoError('CERTIFICATE_INVALID', { status }, `${view.subject}: ${status.code}`);
    if (!c.object.hasKeyPair) throw new KysoError('KEY_NOT_FOUND', {}, view.subject);
    return { view, status };
  }

  /** Looks a certificate up again by id; gone means the token left. */
  private resolver(id: string): () => Promise<TokenCertificate> {
    return async () => {
      try {
        return await this.opts.tokens.findCertificate(id);
      } catch (e) {
        throw e instanceof KysoError && e.code === 'CERTIFICATE_NOT_FOUND' ? new KysoError('TOKEN_REMOVED', {}, id) : e;
      }
    };
  }

  private async pick(ctx: CallContext, certificateId: string | undefined, purpose: 'auth'): Promise<{ cert: TokenCertificate; consent: ConsentCertificate; consented: boolean }> {
    if (certificateId) {
      const cert = await this.opts.tokens.findCertificate(certificateId);
      const { view, status } = await this.usable(cert, purpose, ctx.lang);
      return { cert, consent: this.consentOf(view, status), consented: false };
    }
    await this.opts.tokens.refresh();
    const candidates: { cert: TokenCertificate; consent: ConsentCertificate }[] = [];
    let firstInvalid: CertificateStatus | undefined;
    for (const cert of await this.opts.tokens.userCertificates()) {
      if (!cert.object.hasKeyPair) continue;
      const status = await this.status(cert, purpose, ctx.lang);
      if (status.ok) candidates.push({ cert, consent: this.consentOf(await this.view(cert), status) });
      else firstInvalid ??= status;
    }
    if (candidates.length === 0) {
      // Say why (expired, untrusted…): the page shows the validator's message.
      if (firstInvalid) throw new KysoError('CERTIFICATE_INVALID', { status: firstInvalid }, `no valid certificate on the tokens: ${firstInvalid.code}`);
      throw new KysoError('TOKEN_NOT_PRESENT');
    }
    if (candidates.length === 1) return { ...candidates[0], consented: false };
    const i = await this.opts.dialogs.chooseCertificate({ origin: ctx.origin, purpose, certificates: candidates.map((c) => c.consent) }, { signal: ctx.signal });
    return { ...candidates[i], consented: true };
  }

  async authSign(ctx: CallContext, params: { nonce: string; certificateId?: string }): Promise<AuthToken> {
    const { cert, consent, consented } = await this.pick(ctx, params.certificateId, 'auth');
    const x = new X509Certificate(cert.object.der);
    const algorithm = authAlgorithmFor(cert.object.keyType, x.publicKey.asymmetricKeyDetails?.namedCurve);
    const signature = await this.flow.sign({
      origin: ctx.origin, purpose: 'auth', cert, consent, consented, signal: ctx.signal, resolve: this.resolver(cert.id),
      request: signRequestFor(algorithm, authMessage(ctx.origin, params.nonce)),
    });
    const chain = (await this.opts.tokens.authorityCertificates(cert.token.id)).map((c) => c.raw.toString('base64'));
    return { format: AUTH_FORMAT, certificate: cert.object.der.toString('base64'), chain, algorithm, signature: signature.toString('base64'), origin: ctx.origin };
  }

  async signHash(ctx: CallContext, params: { certificateId: string; hash: Buffer; hashAlgorithm: HashAlgorithm; algorithm?: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' }): Promise<{ signature: string; algorithm: string; hashAlgorithm: HashAlgorithm }> {
    const cert = await this.opts.tokens.findCertificate(params.certificateId);
    const { view, status } = await this.usable(cert, 'sign', ctx.lang);
    const algorithm = params.algorithm ?? (cert.object.keyType === 'ec' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5');
    const signature = await this.flow.sign({
      origin: ctx.origin, purpose: 'sign-hash', cert, consent: this.consentOf(view, status), signal: ctx.signal, resolve: this.resolver(cert.id),
      request: { algorithm, hashAlgorithm: params.hashAlgorithm, hash: params.hash }, hashHex: params.hash.toString('hex'),
    });
    return { signature: signature.toString('base64'), algorithm, hashAlgorithm: params.hashAlgorithm };
  }
}
