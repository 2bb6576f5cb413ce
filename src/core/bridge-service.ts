// The one core service every adapter calls: list tokens and certificates (with validation
// status), make the origin-bound auth proof, sign a hash. It decides who may ask (grants),
// refuses what cannot succeed before any dialog, and returns bytes: adapters encode.
import { X509Certificate } from 'node:crypto';
import type { CertificateStatus, ValidateOptions } from '../certs/index.js';
import { checkKeyFits, defaultAlgorithm } from '../crypto/key-fit.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../documents/limits.js';
import type { SignatureReport } from '../documents/verify.js';
import type { Logger } from '../log.js';
import { AUTH_FORMAT, authMessage, type AuthToken } from '../proof/auth-proof.js';
import type { HashAlgorithm, TokenJson } from '../types.js';
import { authAlgorithmFor, authSignRequest } from './auth-proof.js';
import { CertificateChooser, type Audience, type CertificateWithStatus } from './certificate-chooser.js';
import type { CredentialRegistry } from './credential-registry.js';
import type { Credential, SignAlgorithm } from './credentials.js';
import type { ConsentCertificate, Dialogs } from './dialogs.js';
import { DocumentSigning, type DocumentSettings, type SignDocumentParams, type SignedDocument } from './document-signing.js';
import type { Grant, GrantPolicy } from './grants.js';
import type { PinCache } from './pin-cache.js';
import { SigningFlow } from './signing-flow.js';

export type { CertificateWithStatus, SignDocumentParams, SignedDocument };

export interface BridgeServiceOptions {
  credentials: CredentialRegistry;
  dialogs: Dialogs;
  pinCache: PinCache;
  grants: GrantPolicy;
  /** Trust anchors, revocation policy, fetcher… for every validation. */
  validation: Omit<ValidateOptions, 'purpose' | 'intermediates' | 'at'>;
  /** TSAs and size cap for document signing; default no TSA, 50 MiB. */
  documents?: Partial<DocumentSettings>;
  log: Logger;
}

export interface CallContext {
  origin: string;
  signal?: AbortSignal;
  lang?: 'vi' | 'en';
}

export interface SignHashParams {
  /** Absent (vendor calls that name no certificate): the user picks one after the grant check. */
  certificateId?: string;
  hash: Buffer;
  hashAlgorithm: HashAlgorithm;
  algorithm?: SignAlgorithm;
}

export interface SignHashResult { signature: Buffer; algorithm: SignAlgorithm; hashAlgorithm: HashAlgorithm; certificate: Buffer }

export class BridgeService {
  private readonly flow: SigningFlow;
  private readonly chooser: CertificateChooser;
  private readonly documents: DocumentSigning;

  constructor(private readonly opts: BridgeServiceOptions) {
    this.flow = new SigningFlow(opts.credentials, opts.dialogs, opts.pinCache, opts.log);
    this.chooser = new CertificateChooser(opts.credentials, opts.dialogs, opts.validation);
    this.documents = new DocumentSigning(opts.credentials, this.chooser, opts.dialogs, this.flow, {
      tsaUrls: opts.documents?.tsaUrls ?? [], maxBytes: opts.documents?.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES, fetch: opts.documents?.fetch,
    });
  }

  /** Largest document accepted (uploads check it before a byte is stored). */
  get maxDocumentBytes(): number {
    return this.opts.documents?.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  }

  /** Tokens came, went or changed PIN state (for notifications); adapters never hold the providers. */
  onTokensChanged(listener: (tokens: TokenJson[]) => void): void {
    this.opts.credentials.on('changed', listener);
  }

  /** Held now without a dialog (e.g. to decide who hears tokens.changed). */
  holds(origin: string, grant: Grant): boolean {
    return this.opts.grants.holds(origin, grant);
  }

  /**
   * Throws ORIGIN_NOT_ALLOWED unless the origin holds the grant (an undecided https origin gets the
   * first-consent dialog, as for any call). For an adapter's own steps that only lead up to a core
   * call needing the grant, such as a document upload before sign.document: the decision stays here.
   */
  async requireGrant(ctx: CallContext, grant: Grant): Promise<void> {
    await this.opts.grants.require(ctx.origin, grant, ctx.signal);
  }

  async listTokens(ctx: CallContext): Promise<TokenJson[]> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    await this.opts.credentials.refresh();
    return this.opts.credentials.tokens();
  }

  async listCertificates(ctx: CallContext, tokenId?: string): Promise<CertificateWithStatus[]> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    if (tokenId) this.opts.credentials.tokenJson(tokenId);
    const creds = await this.chooser.readable(ctx, tokenId);
    return Promise.all(creds.map(async (c) => ({ ...this.chooser.view(c), status: await this.chooser.status(c, 'sign', ctx.lang) })));
  }

  /**
   * What the machine's own user sees (the CLI over the control channel): no grant and no dialog,
   * so a locked certificate file stays closed and unlisted.
   */
  async localTokens(): Promise<TokenJson[]> {
    await this.opts.credentials.refresh();
    return this.opts.credentials.tokens();
  }

  localCertificates(lang?: 'vi' | 'en'): Promise<CertificateWithStatus[]> {
    return this.chooser.describeListable(lang);
  }

  async authSign(ctx: CallContext, params: { nonce: string; certificateId?: string; audience?: Audience }): Promise<AuthToken> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    const { credential, consent, consented } = await this.chooser.pick(ctx, params.certificateId, 'auth', params.audience);
    const x = new X509Certificate(credential.certificate);
    const algorithm = authAlgorithmFor(credential.keyType, x.publicKey.asymmetricKeyDetails?.namedCurve);
    const [signature] = await this.flow.sign({
      origin: ctx.origin, purpose: 'auth', credential, consent, consented, signal: ctx.signal,
      requests: [authSignRequest(algorithm, authMessage(ctx.origin, params.nonce))],
    });
    const chain = (await this.opts.credentials.authorities(credential.tokenId)).map((c) => c.toString('base64'));
    return { format: AUTH_FORMAT, certificate: credential.certificate.toString('base64'), chain, algorithm, signature: signature!.toString('base64'), origin: ctx.origin };
  }

  /**
   * A document the bridge reads, shows (name, size, fingerprint, PDF/e-invoice facts) and signs
   * itself: needs sign-documents; every document gets its own consent.
   */
  async signDocument(ctx: CallContext, params: SignDocumentParams): Promise<SignedDocument> {
    await this.opts.grants.require(ctx.origin, 'sign-documents', ctx.signal);
    return this.documents.sign(ctx, params);
  }

  /**
   * A hash the bridge cannot see: needs the sign-raw grant, and every request its own consent.
   * What would be refused anyway (unknown certificate, invalid certificate, wrong algorithm for
   * the key) is refused before any dialog. Without a certificate id the grant is checked first,
   * then the chooser asks which certificate (its pick is not the consent: the hash dialog follows).
   */
  async signHash(ctx: CallContext, params: SignHashParams): Promise<SignHashResult> {
    this.opts.grants.refuseWithoutDialog(ctx.origin, 'sign-raw');
    let credential: Credential;
    let consent: ConsentCertificate;
    if (params.certificateId) {
      credential = await this.opts.credentials.find(params.certificateId);
      consent = await this.chooser.usable(credential, 'sign', ctx.lang);
      checkKeyFits(credential.keyType, params.algorithm ?? defaultAlgorithm(credential.keyType));
      await this.opts.grants.require(ctx.origin, 'sign-raw', ctx.signal);
    } else {
      await this.opts.grants.require(ctx.origin, 'sign-raw', ctx.signal);
      ({ credential, consent } = await this.chooser.pick(ctx, undefined, 'sign-hash'));
      checkKeyFits(credential.keyType, params.algorithm ?? defaultAlgorithm(credential.keyType));
    }
    const algorithm = params.algorithm ?? defaultAlgorithm(credential.keyType);
    const [signature] = await this.flow.sign({
      origin: ctx.origin, purpose: 'sign-hash', credential, consent, signal: ctx.signal, hashHex: params.hash.toString('hex'),
      requests: [{ algorithm, hashAlgorithm: params.hashAlgorithm, digest: params.hash }],
    });
    return { signature: signature!, algorithm, hashAlgorithm: params.hashAlgorithm, certificate: credential.certificate };
  }

  /**
   * "Pick a certificate" for vendor calls that answer with one (VGCA GetCertInfo, VNPT
   * getCertInfo): grant login; the given one, the only valid one, or the chooser dialog.
   */
  async pickCertificate(ctx: CallContext, params: { certificateId?: string; audience?: Audience } = {}): Promise<CertificateWithStatus> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    const { credential } = await this.chooser.pick(ctx, params.certificateId, 'auth', params.audience);
    return { ...this.chooser.view(credential), status: await this.chooser.status(credential, 'auth', ctx.lang) };
  }

  /**
   * How certificates a page brings are validated: the daemon's trust settings, the tokens' CA
   * certificates to complete chains (XML-DSig often carries the leaf only), and no network —
   * AIA, OCSP and CRL URLs in a page's certificate must not make the daemon fetch on its behalf.
   */
  private async foreignValidation(): Promise<ValidateOptions> {
    const reg = this.opts.credentials;
    const intermediates = (await Promise.all(reg.tokens().map((t) => reg.authorities(t.id).catch(() => [])))).flat().map((c) => new Uint8Array(c));
    return { ...this.opts.validation, intermediates, network: false, purpose: 'sign' };
  }

  /** Checks signatures a page shows (vendor Verify* calls): only for origins holding login. */
  async verifySignature(ctx: CallContext, content: Buffer, signedContent?: Buffer): Promise<{ format: string; signatures: SignatureReport[] }> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    const { verifyDocument } = await import('../documents/index.js');
    return verifyDocument(content, { content: signedContent, validation: await this.foreignValidation() });
  }

  /** Validates a certificate a page shows (a JWS signer): only for origins holding login. */
  async checkCertificate(ctx: CallContext, der: Buffer): Promise<CertificateStatus> {
    await this.opts.grants.require(ctx.origin, 'login', ctx.signal);
    const { validateCertificate } = await import('../certs/validate.js');
    return validateCertificate(new Uint8Array(der), await this.foreignValidation());
  }

  /** Locks the tokens the PIN cache keeps unlocked for this site (a vendor "clear PIN cache" call). */
  async clearPinCache(ctx: CallContext): Promise<void> {
    // No dialog for this: a site the user never let in gets the same (empty) answer.
    if (!this.opts.grants.holds(ctx.origin, 'login')) return;
    await this.opts.pinCache.clear(ctx.origin);
  }
}
