// The VGCA endpoint table: each path maps its frame onto the one core. Certificate info needs
// login, documents (XML, the old message SignMsg, Auth, server PDFs) sign-documents, hashes
// (SignMsg/SignHash/SignJson) sign-raw: the core decides, the dialogs name the handshake Origin.
import type { BridgeService, CallContext } from '../../core/bridge-service.js';
import type { SignatureReport } from '../../documents/verify.js';
import { VERSION } from '../../version.js';
import { subjectOf, vnDate } from '../compat/certificates.js';
import { checkDigest, fromBase64, hashByName } from '../compat/hashes.js';
import { VGCA_STATUS, VgcaRefusal } from './codec.js';
import { HashFrame, ServerFileFrame, SignJsonFrame, SignXmlFrame, VerifyMsgFrame, VerifyXmlFrame, isJsonFrame, parseJsonFrame } from './frames.js';
import { compact, planJws, verifyJws } from './jws.js';
import { SERVER_FILE_TIMEOUT_MS, downloadFile, fileNameOf, sameOriginUrl, uploadFile } from './server-files.js';

export interface VgcaCall { core: BridgeService; ctx: CallContext & { signal: AbortSignal }; frame: string }
type Endpoint = (c: VgcaCall) => Promise<Record<string, unknown> | unknown[]>;

const maxBytes = (c: VgcaCall) => c.core.maxDocumentBytes;
const b64 = (b: Buffer) => b.toString('base64');

async function certInfo(c: VgcaCall) {
  const cert = await c.core.pickCertificate(c.ctx);
  const { subject, issuer } = subjectOf(cert.certificate);
  return { CertInfo: { Subject: subject, Issuer: issuer, SerialNumber: cert.serialNumber, Base64Data: cert.certificate, ValidFrom: vnDate(cert.notBefore), ValidTo: vnDate(cert.notAfter) } };
}

/** `{HashAlg, HashValue, Encode}`: PKCS#1 v1.5 over DigestInfo(HashAlg, HashValue) for "RSA". */
async function signHashFrame(c: VgcaCall) {
  const f = parseJsonFrame(HashFrame, c.frame);
  const hashAlgorithm = hashByName(f.HashAlg);
  const digest = fromBase64(f.HashValue, 'HashValue', 64);
  checkDigest(hashAlgorithm, digest);
  const enc = f.Encode?.toUpperCase();
  const algorithm = enc === 'PSS' ? 'RSA-PSS' : enc === 'ECDSA' ? 'ECDSA' : enc === 'RSA' ? 'RSASSA-PKCS1-v1_5' : undefined;
  const r = await c.core.signHash(c.ctx, { hash: digest, hashAlgorithm, algorithm });
  return { Signature: b64(r.signature), CertBase64: b64(r.certificate) };
}

/** CMS over page-given bytes, through document signing (the user sees what it is and its size). */
async function signCms(c: VgcaCall, content: Buffer, name: string, detached: boolean) {
  const r = await c.core.signDocument(c.ctx, { format: 'cms', content, name, options: { cms: { detached } } });
  return { Signature: b64(r.content), CertBase64: b64(r.certificate) };
}

function verifyDetails(s: SignatureReport) {
  return {
    SigInfo: { SignerCert: { SerialNumber: s.signer?.serialNumber ?? '', Subject: s.signer?.subject ?? '' }, SigningTime: s.signedAt },
    ValidationDetails: { SignerCertStatus: { Status: s.validation.ok ? 0 : 1, Description: s.validation.message } },
    // A signature over none of the document (only its own properties) proves nothing about it.
    IsValid: s.valid && s.coversContent, Integrity: s.integrity, Errors: s.errors,
  };
}

function xmlBytes(data: string, max: number): Buffer {
  return data.trimStart().startsWith('<') ? Buffer.from(data, 'utf8') : fromBase64(data, 'Data', max);
}

/** Server-mediated PDF signing: same-origin https only, checked before anything is fetched. */
async function serverPdf(c: VgcaCall) {
  const f = parseJsonFrame(ServerFileFrame, c.frame);
  const download = sameOriginUrl(f.FileName, c.ctx.origin, 'FileName');
  const upload = sameOriginUrl(f.FileUploadHandler, c.ctx.origin, 'FileUploadHandler');
  // Nothing is fetched for a page that may not have documents signed.
  await c.core.requireGrant(c.ctx, 'sign-documents');
  const signal = AbortSignal.any([c.ctx.signal, AbortSignal.timeout(SERVER_FILE_TIMEOUT_MS)]);
  const content = await downloadFile(download, c.ctx.origin, { maxBytes: maxBytes(c), jwt: f.JWTToken, signal });
  const name = fileNameOf(download);
  const signed = await c.core.signDocument(c.ctx, { format: 'pades', content, name });
  const fileServer = await uploadFile(upload, c.ctx.origin, { content: signed.content, fileName: name, sessionId: f.SessionId, jwt: f.JWTToken, metaData: f.MetaData, signal });
  return { FileServer: fileServer, Message: 'OK' };
}

const notSupported = (path: string): Endpoint => async () => {
  throw new VgcaRefusal(VGCA_STATUS.NOT_SUPPORTED, `${path} is not supported by kyso-bridge (see kyso-bridge docs/compat.md)`);
};

export const ENDPOINTS: Record<string, Endpoint> = {
  GetVersion: async () => ({ Version: `kyso-bridge ${VERSION}`, Message: `kyso-bridge ${VERSION}` }),
  // The vendor opens its settings window; kyso-bridge has none to open from a web page.
  Config: async () => ({ Message: 'kyso-bridge: cấu hình bằng lệnh `kyso-bridge doctor` / configure with `kyso-bridge doctor`' }),
  GetCertInfo: certInfo,
  SignMsg: (c) => isJsonFrame(c.frame) ? signHashFrame(c) : signCms(c, fromBase64(c.frame, 'message', maxBytes(c)), 'SignMsg', true),
  SignHash: signHashFrame,
  Auth: (c) => signCms(c, Buffer.from(c.frame, 'utf8'), 'Auth', false),
  VerifyMsg: async (c) => {
    const f = parseJsonFrame(VerifyMsgFrame, c.frame);
    const r = await c.core.verifySignature(c.ctx, fromBase64(f.Signature, 'Signature', maxBytes(c)), fromBase64(f.Base64Content, 'Base64Content', maxBytes(c)));
    const s = r.signatures[0];
    if (!s?.valid || !s.coversContent) throw new VgcaRefusal(VGCA_STATUS.FAILED, s ? `invalid signature: ${[...s.errors, s.validation.message].join('; ')}` : 'no signature');
    return verifyDetails(s);
  },
  SignXML: async (c) => {
    const f = parseJsonFrame(SignXmlFrame, c.frame);
    const r = await c.core.signDocument(c.ctx, {
      format: 'xmldsig', profile: 'generic', hashAlgorithm: hashByName(f.HashAlg), content: fromBase64(f.Base64Content, 'Base64Content', maxBytes(c)),
      name: 'SignXML', output: f.ReturnSignatureOnly ? 'signature' : 'document',
    });
    return { Signature: b64(r.content) };
  },
  // The confirmed reply is a bare JSON array, one entry per signature.
  VerifyXML: async (c) => {
    const f = parseJsonFrame(VerifyXmlFrame, c.frame);
    const r = await c.core.verifySignature(c.ctx, xmlBytes(f.Data, maxBytes(c)));
    return r.signatures.map(verifyDetails);
  },
  SignJson: async (c) => {
    const f = parseJsonFrame(SignJsonFrame, c.frame);
    // The certificate goes into the signed header, so it is picked (grant login) before signing.
    const cert = await c.core.pickCertificate(c.ctx);
    const plan = planJws(Buffer.from(cert.certificate, 'base64'), f.JsonContent, f.IsPss);
    const r = await c.core.signHash(c.ctx, { certificateId: cert.id, hash: plan.request.digest, hashAlgorithm: plan.request.hashAlgorithm, algorithm: plan.request.algorithm });
    return { Signature: compact(plan, r.signature, f.DetachPayload) };
  },
  VerifyJson: async (c) => {
    const v = verifyJws(c.frame);
    // A signature is only as good as its certificate: validated like every other Verify* call.
    const status = await c.core.checkCertificate(c.ctx, v.certificate.raw);
    if (!status.ok) throw new VgcaRefusal(VGCA_STATUS.FAILED, `the signer certificate is not valid: ${status.message}`);
    return { SigningCertInfo: { SerialNumber: v.certificate.serialNumber, Subject: subjectOf(v.certificate.raw.toString('base64')).subject }, JsonContent: v.payload };
  },
  SignPDF: serverPdf, SignFile: serverPdf, SignApproved: serverPdf, SignIssued: serverPdf,
  SignIncome: serverPdf, SignAppendix: serverPdf, SignCopy: serverPdf,
};

for (const path of ['SignFiles', 'Comment', 'LoginIAM', 'SignOffice', 'VerifyOffice', 'VerifyPDF', 'SignPDFWP', 'SignXMLP12', 'GetLicenseRequest',
  'SignRSAs', 'SignTest', 'Encrypt', 'Decrypt', 'SignAttestation', 'SignAttestationes', 'SignLyLich']) {
  ENDPOINTS[path] = notSupported(path);
}

export function endpointFor(path: string): Endpoint {
  const name = path.replace(/^\//, '');
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, name) ? ENDPOINTS[name]! : notSupported(name.slice(0, 40) || '/');
}
