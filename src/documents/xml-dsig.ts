// XML-DSig enveloped signatures (level B) with xml-crypto ≥ 6.2: inclusive C14N, a reference to the
// signed element (or the whole document), a second reference to the Signature's own
// SigningTime object, KeyInfo with X509SubjectName + X509Certificate. xml-crypto computes the
// signature on its own parse; the Signature element is then spliced into the original text so
// nothing outside it changes, and the result is checked before it is returned.
import { SignedXml } from 'xml-crypto';
import { x509 } from '../certs/x509.js';
import { invalidDocument } from './errors.js';
import { C14N, DIGEST_URIS, ENVELOPED, externalSignatureClass, SIGNATURE_PROPERTIES_TYPE, signatureUri } from './xml-algorithms.js';
import { indexPath, planXml, type XmlOptions, type XmlProfile } from './xml-profiles.js';
import { appendInside, locate, parseXml } from './xml-splice.js';
import { decodeXml, encodeLike } from './xml-text.js';
import { verifyXml } from './xml-verify.js';
import type { DigestSigner, HashAlgorithm } from './signer.js';
import { vnIsoLocal } from './vn-time.js';

export interface XmlSignRequest {
  content: Buffer;
  profile: XmlProfile;
  options?: XmlOptions;
  signer: DigestSigner;
  hashAlgorithm?: HashAlgorithm;
  now?: Date;
}

export interface XmlSignResult {
  output: Buffer;
  /** The inserted <Signature> element, as text. */
  signatureXml: string;
  signatureId: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function keyInfo(certDer: Buffer): string {
  const cert = new x509.X509Certificate(new Uint8Array(certDer));
  return `<X509Data><X509SubjectName>${escapeXml(cert.subject)}</X509SubjectName><X509Certificate>${certDer.toString('base64')}</X509Certificate></X509Data>`;
}

export async function signXml(req: XmlSignRequest): Promise<XmlSignResult> {
  const h = req.hashAlgorithm ?? 'SHA-256';
  const sigUri = signatureUri(req.signer.keyType, h);
  const digestUri = DIGEST_URIS[h]!;
  const decoded = decodeXml(req.content);
  const doc = parseXml(decoded.text);
  const plan = planXml(doc, req.profile, req.options);
  const signingTime = vnIsoLocal(req.now ?? new Date());
  const sx = new SignedXml({
    privateKey: 'external-signer', // xml-crypto wants a truthy key; the class below never reads it
    canonicalizationAlgorithm: C14N,
    signatureAlgorithm: sigUri as never,
    getKeyInfoContent: () => keyInfo(req.signer.certificate),
    objects: [{
      content: `<SignatureProperties><SignatureProperty Target="#${plan.signatureId}"><SigningTime>${signingTime}</SigningTime></SignatureProperty></SignatureProperties>`,
      attributes: { Id: plan.signingTimeId },
    }],
  });
  (sx.SignatureAlgorithms as Record<string, unknown>)[sigUri] = externalSignatureClass(sigUri, req.signer, h);
  sx.addReference({
    xpath: plan.reference ? indexPath(plan.reference.element) : '/*',
    uri: plan.reference ? `#${plan.reference.id}` : '',
    isEmptyUri: !plan.reference,
    transforms: [ENVELOPED, C14N],
    digestAlgorithm: digestUri as never,
  });
  sx.addReference({ xpath: `//*[@Id='${plan.signingTimeId}']`, uri: `#${plan.signingTimeId}`, transforms: [C14N], digestAlgorithm: digestUri as never, type: SIGNATURE_PROPERTIES_TYPE });
  await new Promise<void>((resolve, reject) => {
    sx.computeSignature(decoded.text, { location: { reference: indexPath(plan.parent), action: 'append' }, attrs: { Id: plan.signatureId } }, (err) => (err ? reject(err) : resolve()));
  });
  const signatureXml = sx.getSignatureXml();
  const text = appendInside(locate(decoded.text), plan.parent, signatureXml);
  const output = encodeLike(decoded, text);
  const check = await verifyXml(output);
  const mine = check.find((s) => s.signatureId === plan.signatureId);
  if (!mine?.integrity) throw invalidDocument(`the signed XML does not verify (${mine?.error ?? 'signature not found'})`);
  return { output, signatureXml, signatureId: plan.signatureId };
}
