// VNPT option objects (XmlSigner, PdfSigner, sigOptions) → our document options. Only what can be
// honoured safely: where the signature goes and what it signs, a visible PDF box. The SHA-1
// defaults of these objects are not followed (SHA-256 always; see docs/compat.md).
import type { SignDocumentOptions } from '../../documents/index.js';
import { KysoError } from '../../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

export type VnptOptions = Record<string, unknown>;

/** Options arrive as a JSON string (or already an object); bad JSON is bad input, not a crash. */
export function parseOptions(raw: unknown): VnptOptions {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as VnptOptions;
  if (typeof raw !== 'string') throw new KysoError('INVALID_PARAMS', { field: 'options' }, 'options must be a JSON object');
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as VnptOptions;
  } catch {
    // fall through
  }
  throw new KysoError('INVALID_PARAMS', { field: 'options' }, 'options must be a JSON object');
}

const str = (o: VnptOptions, k: string) => typeof o[k] === 'string' && o[k] ? (o[k] as string) : undefined;
const num = (o: VnptOptions, k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : Number(o[k]));

/** The certificate the options name, if any. */
export function optionSerial(o: VnptOptions): string | undefined {
  return str(o, 'CertificateSerial') ?? str(o, 'serial');
}

/** NodeToSign: the Id of the element signed; TagSaveResult / ParrentTagSigning: where the Signature goes. */
export function xmlOptions(o: VnptOptions): SignDocumentOptions {
  const node = str(o, 'NodeToSign')?.replace(/^#/, '');
  const parent = str(o, 'TagSaveResult') ?? str(o, 'ParrentTagSigning');
  if (node && !NAME.test(node)) throw new KysoError('INVALID_PARAMS', { field: 'NodeToSign' }, 'NodeToSign is not an XML Id');
  if (parent && !NAME.test(parent)) throw new KysoError('INVALID_PARAMS', { field: 'TagSaveResult' }, 'TagSaveResult is not an element name');
  return { xml: { referenceId: node, signatureParent: parent ? `//${parent}` : undefined } };
}

/** page + llx/lly/urx/ury: a visible box; Description: the reason. */
export function pdfOptions(o: VnptOptions): SignDocumentOptions {
  const page = num(o, 'page');
  const rect = ['llx', 'lly', 'urx', 'ury'].map((k) => num(o, k));
  const reason = str(o, 'Description')?.slice(0, 200);
  const visible = page !== undefined && rect.every((v) => v !== undefined && Number.isFinite(v))
    ? { page, rect: rect as [number, number, number, number] } : undefined;
  if (visible && (!Number.isInteger(page) || page! < 1)) throw new KysoError('INVALID_PARAMS', { field: 'page' }, 'page must be 1 or more');
  return { pdf: { visible, reason } };
}
