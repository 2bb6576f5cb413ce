// Where a profile puts the signature and what it signs. Vietnamese profiles (e-invoice NĐ 123/2020,
// TT 78/2021, QĐ 1450/QĐ-TCT; HTKK tax declarations; BHXH dossiers) have fixed places; `generic`
// takes a reference Id and a restricted XPath for the parent. Nothing is invented: a missing Id or
// parent is DOCUMENT_INVALID.
import { randomUUID } from 'node:crypto';
import { invalidDocument, invalidParams } from './errors.js';
import { parseRestrictedXPath } from './xml-xpath.js';

export const XML_PROFILES = ['vn-einvoice', 'vn-tax', 'vn-bhxh', 'generic'] as const;
export type XmlProfile = (typeof XML_PROFILES)[number];

export interface XmlOptions {
  /** generic/vn-tax: the Id of the element to sign (default: generic the whole document). */
  referenceId?: string;
  /** generic: restricted XPath of the element the Signature is appended to (default the root). */
  signatureParent?: string;
  /** generic: Id of the Signature element. */
  signatureId?: string;
}

export interface XmlPlan {
  /** Element signed by Id, or undefined for the whole document (URI=""). */
  reference?: { element: Element; id: string };
  parent: Element;
  signatureId: string;
  signingTimeId: string;
}

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

const elements = (n: Node): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};
const nameOf = (e: Element): string => e.localName ?? e.nodeName.replace(/^.*:/, '');

function descendants(n: Node, out: Element[] = []): Element[] {
  for (const c of elements(n)) {
    out.push(c);
    descendants(c, out);
  }
  return out;
}

/** Evaluates a restricted path (element steps only) on the document. */
export function selectPath(doc: Document, path: string): Element[] {
  let current: Node[] = [doc];
  for (const step of parseRestrictedXPath(path)) {
    const next = new Set<Element>();
    for (const n of current) for (const e of step.axis === '/' ? elements(n) : descendants(n)) if (nameOf(e) === step.name) next.add(e);
    current = [...next];
  }
  return current as Element[];
}

function exactlyOne(doc: Document, path: string, what: string): Element {
  const found = selectPath(doc, path);
  if (found.length === 0) throw invalidDocument(`no ${what} (${path})`);
  if (found.length > 1) throw invalidDocument(`${found.length} ${what} elements (${path}); expected one`);
  return found[0];
}

function byId(doc: Document, id: string): { element: Element; id: string } {
  if (!ID_PATTERN.test(id)) throw invalidParams(`referenceId "${id.slice(0, 40)}" is not an XML Id`);
  const found = descendants(doc).filter((e) => ['Id', 'ID', 'id'].some((a) => e.getAttribute(a) === id));
  if (found.length !== 1) throw invalidDocument(found.length ? `Id "${id}" appears ${found.length} times` : `no element with Id "${id}"`);
  return { element: found[0], id };
}

function idOf(e: Element, attrs: string[], what: string): string {
  const id = attrs.map((a) => e.getAttribute(a)).find((v) => v);
  if (!id) throw invalidDocument(`${what} has no ${attrs.join('/')} attribute`);
  if (!ID_PATTERN.test(id)) throw invalidDocument(`${what} Id "${id.slice(0, 40)}" is not an XML Id`);
  return id;
}

export function planXml(doc: Document, profile: XmlProfile, opts: XmlOptions = {}): XmlPlan {
  const uuid = randomUUID();
  const signingTimeId = `SigningTime-${uuid}`;
  switch (profile) {
    case 'vn-einvoice': {
      const data = exactlyOne(doc, '//HDon/DLHDon', 'HDon/DLHDon');
      const id = idOf(data, ['Id'], 'DLHDon');
      return { reference: { element: data, id }, parent: exactlyOne(doc, '//HDon/DSCKS/NBan', 'HDon/DSCKS/NBan'), signatureId: `NBan-${uuid}`, signingTimeId };
    }
    case 'vn-tax': {
      const reference = opts.referenceId ? byId(doc, opts.referenceId) : (() => {
        const data = exactlyOne(doc, '//HSoKhaiThue', 'HSoKhaiThue');
        return { element: data, id: idOf(data, ['id', 'Id'], 'HSoKhaiThue') };
      })();
      return { reference, parent: exactlyOne(doc, '//CKyDTu', 'CKyDTu'), signatureId: `Signature-${uuid}`, signingTimeId };
    }
    case 'vn-bhxh':
      return { parent: exactlyOne(doc, '/Hoso/CKy_Dvi', 'Hoso/CKy_Dvi'), signatureId: `Signature-${uuid}`, signingTimeId };
    case 'generic': {
      const signatureId = opts.signatureId ?? `Signature-${uuid}`;
      if (!ID_PATTERN.test(signatureId)) throw invalidParams('signatureId is not an XML Id');
      const parent = opts.signatureParent ? exactlyOne(doc, opts.signatureParent, 'signature parent') : doc.documentElement!;
      return { reference: opts.referenceId ? byId(doc, opts.referenceId) : undefined, parent, signatureId, signingTimeId };
    }
    default:
      throw invalidParams(`unknown XML profile ${String(profile)}`);
  }
}

/** Position path of an element (`/*[1]/*[3]`): names the same node in any parser's DOM of the same text. */
export function indexPath(e: Element): string {
  const steps: string[] = [];
  for (let n: Node = e; n.parentNode && n.nodeType === 1; n = n.parentNode) {
    steps.unshift(`/*[${elements(n.parentNode).indexOf(n as Element) + 1}]`);
  }
  return steps.join('');
}
