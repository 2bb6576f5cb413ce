// Signing a document the bridge reads itself: the page sends the bytes, the core describes them
// (what the consent dialog shows), the user consents to *that* document, and the document
// engine hashes it and has the credential sign the digest through the one signing flow.
import type { FetchLike } from '../certs/index.js';
import { defaultAlgorithm } from '../crypto/key-fit.js';
import type { DigestSigner, DocumentFormat, SignatureLevel, SignDocumentOptions, XmlProfile } from '../documents/index.js';
import { LEVELS_BY_FORMAT } from '../documents/limits.js';
import { KysoError } from '../errors.js';
import type { HashAlgorithm } from '../types.js';
import type { CertificateChooser } from './certificate-chooser.js';
import type { CredentialRegistry } from './credential-registry.js';
import type { Credential } from './credentials.js';
import type { ConsentCertificate, Dialogs } from './dialogs.js';
import type { SigningFlow } from './signing-flow.js';

export interface DocumentSettings {
  /** TSAs configured on the daemon (`serve --tsa`, config `tsaUrls`); the first is the default. */
  tsaUrls: string[];
  /** Largest document accepted (config `maxDocumentBytes`). */
  maxBytes: number;
  /** HTTP for TSA and B-LT revocation data (tests give a loopback fetch). */
  fetch?: FetchLike;
}

export interface SignDocumentParams {
  certificateId?: string;
  format: DocumentFormat;
  profile?: XmlProfile;
  level?: SignatureLevel;
  hashAlgorithm?: HashAlgorithm;
  content: Buffer;
  /** The name the page gives the document: shown to the user, never used as a path. */
  name: string;
  options?: SignDocumentOptions;
  /** Must be one of the daemon's configured TSAs. */
  tsaUrl?: string;
  output?: 'document' | 'signature';
}

export interface SignedDocument {
  content: Buffer;
  level: SignatureLevel;
  signer: { subject: string; serialNumber: string };
  /** The signer certificate (DER): vendor replies carry it beside the signature. */
  certificate: Buffer;
}

interface Ctx { origin: string; signal?: AbortSignal; lang?: 'vi' | 'en' }

export class DocumentSigning {
  constructor(
    private readonly credentials: CredentialRegistry,
    private readonly chooser: CertificateChooser,
    private readonly dialogs: Dialogs,
    private readonly flow: SigningFlow,
    private readonly settings: DocumentSettings,
  ) {}

  private tsaFor(p: SignDocumentParams): { url: string; fetch?: FetchLike } | undefined {
    if (p.tsaUrl !== undefined && !this.settings.tsaUrls.includes(p.tsaUrl)) {
      throw new KysoError('INVALID_PARAMS', { field: 'tsa.url' }, 'tsa.url is not one of the TSAs configured on this computer');
    }
    const url = p.tsaUrl ?? this.settings.tsaUrls[0];
    return url ? { url, fetch: this.settings.fetch } : undefined;
  }

  async sign(ctx: Ctx, p: SignDocumentParams): Promise<SignedDocument> {
    if (p.content.length > this.settings.maxBytes) throw new KysoError('DOCUMENT_TOO_LARGE', { maxSize: this.settings.maxBytes });
    const tsa = this.tsaFor(p);
    // What the engine would refuse after the dialogs is refused before them.
    const level = p.level ?? 'B';
    const levels: readonly string[] = LEVELS_BY_FORMAT[p.format] ?? [];
    if (!levels.includes(level)) throw new KysoError('INVALID_PARAMS', { field: 'level' }, `level: ${p.format} signs at level ${levels.join('/')} only`);
    if (level !== 'B' && !tsa) throw new KysoError('TSA_UNAVAILABLE', {}, `level ${level} needs a TSA configured on this computer (serve --tsa)`);
    // The engines (XML, PDF, CMS libraries) load on the first document: the daemon starts without them.
    const { describeDocument, signDocument } = await import('../documents/index.js');
    const { credential, consent } = await this.chooser.pick(ctx, p.certificateId, 'sign-document');
    const facts = await describeDocument({
      format: p.format, content: p.content, profile: p.profile, level: p.level, hashAlgorithm: p.hashAlgorithm, certificate: credential.certificate, options: p.options,
    });
    await this.dialogs.confirm({ origin: ctx.origin, purpose: 'sign-document', certificate: consent, document: { name: p.name, facts } }, { signal: ctx.signal });
    const signer = await this.signerFor(ctx, credential, consent);
    const r = await signDocument({
      format: p.format, profile: p.profile, level: p.level, hashAlgorithm: p.hashAlgorithm, content: p.content, options: p.options,
      signer, tsa, revocation: { fetch: this.settings.fetch }, maxBytes: this.settings.maxBytes,
    });
    const view = this.chooser.view(credential);
    return { content: p.output === 'signature' ? r.signatureOnly : r.output, level: r.level, signer: { subject: view.subject, serialNumber: view.serialNumber }, certificate: credential.certificate };
  }

  /** The engine asks for a digest signature once it has hashed; the user already consented. */
  private async signerFor(ctx: Ctx, credential: Credential, consent: ConsentCertificate): Promise<DigestSigner> {
    const keyType = credential.keyType === 'ec' ? 'ec' : 'rsa';
    return {
      certificate: credential.certificate,
      chain: await this.credentials.authorities(credential.tokenId),
      keyType,
      signDigest: async (hashAlgorithm, digest) => {
        const [sig] = await this.flow.sign({
          origin: ctx.origin, purpose: 'sign-document', credential, consent, consented: true, signal: ctx.signal,
          requests: [{ algorithm: defaultAlgorithm(keyType), hashAlgorithm, digest }],
        });
        return sig!;
      },
    };
  }
}
