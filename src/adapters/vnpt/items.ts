// signArrData / signArrDataAdvanced: a list of items, each `{data, type, sigOptions}` (itself JSON
// text), signed with one certificate; the answer is a JSON array of JSON strings, one per item.
import type { BridgeService, CallContext } from '../../core/bridge-service.js';
import type { DocumentFormat, SignDocumentOptions } from '../../documents/index.js';
import { KysoError } from '../../errors.js';
import type { Lang } from '../../i18n/messages.js';
import { fromBase64 } from '../compat/hashes.js';
import { jsonResult } from './codec.js';
import { parseOptions, pdfOptions, xmlOptions } from './options.js';
import { SIGN_CODE, message, signCodeOf } from './results.js';

/** Items per call: the script sends one list per user action. */
export const MAX_ITEMS = 50;

interface Item { data: string; type: string; sigOptions?: unknown }

export function parseItems(raw: string | undefined): Item[] {
  let list: unknown;
  try {
    list = JSON.parse(raw ?? '');
  } catch {
    throw new KysoError('INVALID_PARAMS', { field: 'args.0' }, 'the list is not JSON');
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ITEMS) {
    throw new KysoError('INVALID_PARAMS', { field: 'args.0' }, `expected a list of 1–${MAX_ITEMS} items`);
  }
  return list.map((e, i) => {
    // signArrData sends bare base64 strings; signArrDataAdvanced JSON strings of objects.
    let v: unknown = e;
    if (typeof e === 'string' && e.trimStart().startsWith('{')) {
      try { v = JSON.parse(e); } catch { throw new KysoError('INVALID_PARAMS', { field: `args.0.${i}` }, 'item is not JSON'); }
    }
    if (typeof v === 'string') return { data: v, type: 'cmsdetached' };
    const o = v as Partial<Item> | null;
    if (!o || typeof o.data !== 'string' || typeof o.type !== 'string') throw new KysoError('INVALID_PARAMS', { field: `args.0.${i}` }, 'item needs data and type');
    return { data: o.data, type: o.type, sigOptions: o.sigOptions };
  });
}

function planOf(item: Item): { format: DocumentFormat; options: SignDocumentOptions } {
  const opts = parseOptions(item.sigOptions);
  switch (item.type.toLowerCase()) {
    case 'pdf': return { format: 'pades', options: pdfOptions(opts) };
    case 'xml': return { format: 'xmldsig', options: xmlOptions(opts) };
    case 'cmsdetached': return { format: 'cms', options: { cms: { detached: true } } };
    case 'cms': case 'cmsattached': return { format: 'cms', options: { cms: { detached: false } } };
    default: throw new KysoError('INVALID_PARAMS', { field: 'type' }, `type ${item.type.slice(0, 20)} is not supported by kyso-bridge (pdf, xml, cms, cmsdetached)`);
  }
}

/** Each item is its own document: its own consent dialog, as every document in the core. */
export async function signItems(core: BridgeService, ctx: CallContext, items: Item[], certificateId: string, serial: string, lang: Lang): Promise<string> {
  const out: string[] = [];
  for (const [i, item] of items.entries()) {
    try {
      const { format, options } = planOf(item);
      const content = fromBase64(item.data, `args.0.${i}.data`, core.maxDocumentBytes);
      const r = await core.signDocument(ctx, { certificateId, format, profile: format === 'xmldsig' ? 'generic' : undefined, content, name: `${item.type} ${i + 1}/${items.length}`, options });
      out.push(JSON.stringify({ code: SIGN_CODE.OK, data: r.content.toString('base64'), serial, error: '' }));
    } catch (e) {
      out.push(JSON.stringify({ code: signCodeOf(e), data: '', serial, error: message(e, lang) }));
      // A closed page or a cancelled dialog ends the list: the user said no.
      if (ctx.signal?.aborted || signCodeOf(e) === SIGN_CODE.CANCELLED) break;
    }
  }
  return jsonResult(out);
}
