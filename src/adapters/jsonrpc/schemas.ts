// Schemas for every method's params: bad input is answered with INVALID_PARAMS naming the field,
// never thrown into the core. Strict objects: unknown keys are refused, not ignored.
import { z } from 'zod';
import { HASH_LENGTH } from '../../crypto/digests.js';

const id = z.string().min(1).max(128).regex(/^[0-9a-f-]+$/i, 'expected an id from tokens.list / certificates.list');
const hashAlgorithm = z.enum(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);
const base64 = z.string().max(4096).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

export const NoParams = z.union([z.undefined(), z.object({}).strict(), z.array(z.never()).max(0)]);

export const CertificatesListParams = z.union([z.undefined(), z.object({ tokenId: id.optional() }).strict()]);

export const AuthSignParams = z.object({
  nonce: z.string().min(43).max(128).regex(/^[A-Za-z0-9_-]+$/, 'expected base64url (43–128 characters)'),
  certificateId: id.optional(),
  /** Which certificate the chooser starts at: the page's Công dân / Doanh nghiệp / Cơ quan nhà nước. */
  audience: z.enum(['person', 'organization', 'civil-servant']).optional(),
}).strict();

export const SignHashParams = z.object({
  certificateId: id,
  hash: base64,
  hashAlgorithm,
  algorithm: z.enum(['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA']).optional(),
}).strict().superRefine((p, ctx) => {
  const len = Buffer.from(p.hash, 'base64').length;
  if (len !== HASH_LENGTH[p.hashAlgorithm]) {
    ctx.addIssue({ code: 'custom', path: ['hash'], message: `a ${p.hashAlgorithm} hash is ${HASH_LENGTH[p.hashAlgorithm]} bytes, got ${len}` });
  }
});

/** One line per problem: "hash: a SHA-256 hash is 32 bytes, got 20". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'params'}: ${i.message}`).join('; ');
}
