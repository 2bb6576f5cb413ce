// Integrity of every XML-DSig Signature in a document (xml-crypto, with ECDSA added): the
// SignedInfo signature by the KeyInfo certificate and every Reference digest. Whether that
// certificate is trusted is the validator's question, asked by the caller.
import { XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { ECDSA_URIS, ecdsaVerifierClass, parseSignatureUri, XMLDSIG_NS } from './xml-algorithms.js';
import { parseXml } from './xml-splice.js';
import { decodeXml } from './xml-text.js';
import type { HashAlgorithm } from './signer.js';

export interface XmlSignatureCheck {
  signatureId?: string;
  integrity: boolean;
  error?: string;
  /** Signer certificate from KeyInfo, DER. */
  certificate?: Buffer;
  hashAlgorithm?: HashAlgorithm;
  /** SigningTime from the signature's SignatureProperties, as written (Vietnam local time). */
  signingTime?: string;
  /** Reference URIs ('' = the whole document). */
  references: string[];
  /** URI="" with the enveloped transform, or the referenced element is the root. */
  coversWholeDocument: boolean;
  /** Some reference covers document content, not only the signature's own parts (its Object). */
  coversContent: boolean;
}

const childrenNamed = (n: Element, local: string): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).localName === local) out.push(c as Element);
  return out;
};

function certificateOf(sig: Element): Buffer | undefined {
  for (const ki of childrenNamed(sig, 'KeyInfo')) for (const data of childrenNamed(ki, 'X509Data')) {
    const c = childrenNamed(data, 'X509Certificate')[0];
    if (c?.textContent) return Buffer.from(c.textContent.replace(/\s+/g, ''), 'base64');
  }
  return undefined;
}

function signingTimeOf(sig: Element): string | undefined {
  const found = sig.getElementsByTagNameNS('*', 'SigningTime');
  return found.length ? found[0].textContent?.trim() : undefined;
}

function referenceUris(sig: Element): string[] {
  const si = childrenNamed(sig, 'SignedInfo')[0];
  return si ? childrenNamed(si, 'Reference').map((r) => r.getAttribute('URI') ?? '') : [];
}

/** The element a same-document reference (`#id`) names, by Id/ID/id. */
function elementById(doc: Document, id: string): Element | undefined {
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const e = all[i] as Element;
    if (e.getAttribute('Id') === id || e.getAttribute('ID') === id || e.getAttribute('id') === id) return e;
  }
  return undefined;
}

function inside(e: Element, container: Element): boolean {
  for (let n: Node | null = e; n; n = n.parentNode) if (n === container) return true;
  return false;
}

function coversContent(doc: Document, sig: Element, references: string[]): boolean {
  return references.some((u) => {
    if (u === '') return true;
    const target = u.startsWith('#') ? elementById(doc, u.slice(1)) : undefined;
    return target !== undefined && !inside(target, sig);
  });
}

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

function checkOne(text: string, doc: Document, sig: Element): XmlSignatureCheck {
  const references = referenceUris(sig);
  const root = doc.documentElement!;
  const rootId = ['Id', 'ID', 'id'].map((a) => root.getAttribute(a)).find(Boolean);
  const coversWholeDocument = references.some((u) => u === '' || (rootId !== undefined && u === `#${rootId}`));
  const base: XmlSignatureCheck = {
    signatureId: sig.getAttribute('Id') ?? undefined, integrity: false, references, coversWholeDocument,
    coversContent: coversContent(doc, sig, references), signingTime: signingTimeOf(sig),
  };
  const certificate = certificateOf(sig);
  if (!certificate) return { ...base, error: 'no X509Certificate in KeyInfo' };
  const method = sig.getElementsByTagNameNS(XMLDSIG_NS, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '';
  const parsed = parseSignatureUri(method);
  const result: XmlSignatureCheck = { ...base, certificate, hashAlgorithm: parsed?.hash };
  try {
    const sx = new SignedXml({ publicCert: pem(certificate) });
    for (const [h, uri] of Object.entries(ECDSA_URIS)) (sx.SignatureAlgorithms as Record<string, unknown>)[uri] = ecdsaVerifierClass(uri, h as HashAlgorithm);
    sx.loadSignature(new XMLSerializer().serializeToString(sig as never));
    return sx.checkSignature(text) ? { ...result, integrity: true } : { ...result, error: 'a reference digest does not match' };
  } catch (e) {
    return { ...result, error: (e as Error).message };
  }
}

/** Every Signature element of the document, checked. */
export async function verifyXml(content: Buffer): Promise<XmlSignatureCheck[]> {
  const { text } = decodeXml(content);
  const doc = parseXml(text);
  const sigs = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NS, 'Signature')) as Element[];
  return sigs.map((s) => checkOne(text, doc, s));
}
