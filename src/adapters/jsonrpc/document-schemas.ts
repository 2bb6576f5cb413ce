// Schemas of sign.document and the document.* transfer methods. Strict objects; every refusal
// names its field. What the engines would refuse anyway for these params (an XML signature at
// level T, a CMS at LT, SHA-1 in a PDF) is refused here, before any dialog.
import { z } from 'zod';
import { LEVELS_BY_FORMAT } from '../../documents/limits.js';
import { CHUNK_BYTES } from './document-limits.js';

const certificateId = z.string().min(1).max(128).regex(/^[0-9a-f-]+$/i, 'expected an id from certificates.list');
const documentId = z.string().min(1).max(64).regex(/^[0-9a-f-]+$/i, 'expected an id from document.begin or sign.document');
/** Standard base64 with padding; the frame cap (64 KiB) bounds its length. */
const base64 = z.string().max(88 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64').refine((s) => s.length % 4 === 0, 'expected padded base64 (length a multiple of 4)');
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A name to show the user, never a path: the bridge reads no file a page names. */
const name = z.string().min(1).max(255)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed')
  .refine((s) => !/[\\/]/.test(s), 'a file name, not a path (no / or \\)');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 as 64 lowercase hex digits');
const text = (max: number) => z.string().max(max).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed');

export const DocumentBeginParams = z.object({
  name,
  mediaType: z.string().min(3).max(127).regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'expected a media type such as application/pdf'),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  sha256,
}).strict();

export const DocumentPutParams = z.object({
  documentId,
  offset,
  data: base64.refine((s) => s.length > 0, 'an empty chunk').refine((s) => Buffer.byteLength(s, 'base64') <= CHUNK_BYTES, `at most ${CHUNK_BYTES} bytes per chunk (chunkSize)`),
}).strict();

export const DocumentIdParams = z.object({ documentId }).strict();

export const DocumentGetParams = z.object({
  documentId,
  offset,
  length: z.number().int().min(1).max(CHUNK_BYTES),
}).strict();

const XmlOptions = z.object({
  referenceId: text(128).optional(),
  /** The engine allows only element steps and local-name() (no injection), at most 256 characters. */
  signatureParent: text(256).optional(),
  signatureId: text(128).optional(),
}).strict();

const CmsOptions = z.object({ detached: z.boolean().optional(), includeChain: z.boolean().optional() }).strict();

const finite = z.number().finite().min(0).max(14_400);
const PdfOptions = z.object({
  visible: z.object({
    page: z.number().int().min(1).max(100_000),
    rect: z.tuple([finite, finite, finite, finite]).refine(([llx, lly, urx, ury]) => urx > llx && ury > lly, 'rect is [llx, lly, urx, ury] with urx > llx and ury > lly'),
    lines: z.array(text(200)).min(1).max(8).optional(),
    imagePng: base64.optional(),
  }).strict().optional(),
  reason: text(200).optional(),
  location: text(200).optional(),
}).strict();

export const SignDocumentParams = z.object({
  certificateId: certificateId.optional(),
  format: z.enum(['xmldsig', 'cms', 'pades']),
  profile: z.enum(['vn-einvoice', 'vn-tax', 'vn-bhxh', 'generic']).optional(),
  level: z.enum(['B', 'T', 'LT']).optional(),
  hashAlgorithm: z.enum(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']).optional(),
  source: z.object({ content: base64.optional(), documentId: documentId.optional() }).strict()
    .refine((s) => (s.content === undefined) !== (s.documentId === undefined), 'exactly one of content (base64) or documentId'),
  name,
  options: z.object({ xml: XmlOptions.optional(), cms: CmsOptions.optional(), pdf: PdfOptions.optional() }).strict().optional(),
  tsa: z.object({ url: z.string().min(1).max(2048) }).strict().optional(),
  output: z.enum(['document', 'signature']).optional(),
}).strict().superRefine((p, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const levels: readonly string[] = LEVELS_BY_FORMAT[p.format];
  if (p.level && !levels.includes(p.level)) issue(['level'], `${p.format} signs at level ${levels.join('/')} only`);
  if (p.profile && p.format !== 'xmldsig') issue(['profile'], 'profiles are for format xmldsig');
  if (p.hashAlgorithm === 'SHA-1' && p.format === 'pades') issue(['hashAlgorithm'], 'PAdES does not allow SHA-1');
  if (p.options?.xml && p.format !== 'xmldsig') issue(['options', 'xml'], 'only with format xmldsig');
  if (p.options?.cms && p.format !== 'cms') issue(['options', 'cms'], 'only with format cms');
  if (p.options?.pdf && p.format !== 'pades') issue(['options', 'pdf'], 'only with format pades');
});

export type SignDocumentParamsT = z.infer<typeof SignDocumentParams>;
