// The frames VGCA scripts send, per endpoint, schema-checked. Booleans arrive as "true"/"false"
// strings; unknown keys are tolerated (builds differ) but every field we use is checked.
import { z } from 'zod';
import { KysoError } from '../../errors.js';

const flag = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).optional()
  .transform((v) => v === true || v === 'true' || v === 'True');

/** The current SignMsg / SignHash frame: a digest the page computed. */
export const HashFrame = z.object({
  HashAlg: z.string().max(16).optional(),
  HashValue: z.string().min(1).max(200),
  Encode: z.enum(['RSA', 'PSS', 'ECDSA', 'rsa', 'pss', 'ecdsa']).optional(),
});

export const VerifyMsgFrame = z.object({ Base64Content: z.string().min(1), Signature: z.string().min(1) });

export const SignXmlFrame = z.object({
  Base64Content: z.string().min(1),
  ReturnSignatureOnly: flag,
  HashAlg: z.string().max(16).optional(),
  XmlDsigForm: flag,
});

export const VerifyXmlFrame = z.object({ Data: z.string().min(1), Format: z.string().max(16).optional() });

export const SignJsonFrame = z.object({ JsonContent: z.string().min(1).max(64 * 1024), DetachPayload: flag, IsPss: flag });

/** Server-mediated calls: the service downloads FileName, signs it and uploads it. */
export const ServerFileFrame = z.object({
  FileName: z.string().min(1).max(2048),
  FileUploadHandler: z.string().min(1).max(2048),
  SessionId: z.string().max(4096).optional().nullable(),
  JWTToken: z.string().max(8192).optional().nullable(),
  MetaData: z.array(z.object({ Key: z.string().max(256), Value: z.unknown() })).max(64).optional().nullable(),
  DocNumber: z.string().max(256).optional().nullable(),
  IssuedDate: z.string().max(64).optional().nullable(),
});

/** JSON text → the schema's value, or INVALID_PARAMS naming the field. */
export function parseJsonFrame<S extends z.ZodTypeAny>(schema: S, text: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new KysoError('INVALID_PARAMS', { field: 'frame' }, 'the frame is not JSON');
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new KysoError('INVALID_PARAMS', { field: i?.path.join('.') }, `${i?.path.join('.') || 'frame'}: ${i?.message}`);
  }
  return r.data;
}

/** The current SignMsg frame is JSON; the old one is base64 of the message (never starts with `{`). */
export function isJsonFrame(text: string): boolean {
  return text.trimStart().startsWith('{');
}
