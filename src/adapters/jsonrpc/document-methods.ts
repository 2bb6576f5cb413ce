// sign.document and the chunked transfer (document.begin/put/end/get/release). The core decides
// the grant (sign-documents) and signs; this file only moves bytes between frames and the
// connection's DocumentStore. Never a file path: bytes come inline or from this connection's uploads.
import { createHash } from 'node:crypto';
import { KysoError } from '../../errors.js';
import type { SignDocumentParams as CoreSignParams } from '../../core/bridge-service.js';
import {
  DocumentBeginParams, DocumentGetParams, DocumentIdParams, DocumentPutParams, SignDocumentParams, type SignDocumentParamsT,
} from './document-schemas.js';
import { CHUNK_BYTES, INLINE_MAX_BYTES } from './document-limits.js';
import { def, type MethodDef, type MethodEnv } from './method-def.js';
import type { z } from 'zod';

const MEDIA_TYPES = { pades: 'application/pdf', xmldsig: 'application/xml', cms: 'application/pkcs7-signature' } as const;

function inlineContent(b64: string): Buffer {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > INLINE_MAX_BYTES) {
    throw new KysoError('DOCUMENT_TOO_LARGE', { size: bytes.length, maxInline: INLINE_MAX_BYTES }, `inline content is at most ${INLINE_MAX_BYTES} bytes; use document.begin`);
  }
  if (bytes.length === 0) throw new KysoError('INVALID_PARAMS', { field: 'source.content' }, 'source.content: an empty document');
  return bytes;
}

function coreParams(p: SignDocumentParamsT, content: Buffer): CoreSignParams {
  const pdf = p.options?.pdf;
  const visible = pdf?.visible;
  return {
    certificateId: p.certificateId, format: p.format, profile: p.profile, level: p.level, hashAlgorithm: p.hashAlgorithm, content, name: p.name,
    options: {
      xml: p.options?.xml, cms: p.options?.cms,
      pdf: pdf && { ...pdf, visible: visible && { ...visible, imagePng: visible.imagePng !== undefined ? Buffer.from(visible.imagePng, 'base64') : undefined } },
    },
    tsaUrl: p.tsa?.url, output: p.output,
  };
}

/**
 * The result goes back inline only when the page sent its document inline and the result fits
 * the inline limit; otherwise it is kept here as a new documentId (read with document.get).
 */
async function signDocument({ core, ctx, documents }: MethodEnv, p: SignDocumentParamsT): Promise<unknown> {
  const content = p.source.content !== undefined ? inlineContent(p.source.content) : documents.content(p.source.documentId!).bytes;
  const r = await core.signDocument(ctx, coreParams(p, content));
  const common = { size: r.content.length, sha256: createHash('sha256').update(r.content).digest('hex'), level: r.level, signer: r.signer };
  if (p.source.content !== undefined && r.content.length <= INLINE_MAX_BYTES) return { content: r.content.toString('base64'), ...common };
  // The signature alone is a CMS, except for XML-DSig, where it is the <Signature> element.
  const mediaType = p.output === 'signature' && p.format !== 'xmldsig' ? MEDIA_TYPES.cms : MEDIA_TYPES[p.format];
  return { documentId: documents.addResult(r.content, p.name, mediaType, common.sha256).id, ...common };
}

export const DOCUMENT_METHODS: Record<string, MethodDef<z.ZodTypeAny>> = {
  'sign.document': def({ schema: SignDocumentParams, run: signDocument }),
  'document.begin': def({
    schema: DocumentBeginParams,
    run: async ({ core, ctx, documents }, p) => {
      documents.checkSize(p.size); // refused before any grant dialog
      await core.requireGrant(ctx, 'sign-documents');
      const doc = documents.begin(p);
      return { documentId: doc.id, chunkSize: CHUNK_BYTES, maxSize: core.maxDocumentBytes };
    },
  }),
  'document.put': def({
    schema: DocumentPutParams,
    run: async ({ documents }, p) => ({ received: documents.put(p.documentId, p.offset, Buffer.from(p.data, 'base64')) }),
  }),
  'document.end': def({
    schema: DocumentIdParams,
    run: async ({ documents }, p) => documents.end(p.documentId),
  }),
  'document.get': def({
    schema: DocumentGetParams,
    run: async ({ documents }, p) => {
      const r = documents.read(p.documentId, p.offset, p.length);
      return { data: r.data.toString('base64'), eof: r.eof };
    },
  }),
  'document.release': def({
    schema: DocumentIdParams,
    run: async ({ documents }, p) => {
      documents.release(p.documentId);
      return { released: true };
    },
  }),
};
