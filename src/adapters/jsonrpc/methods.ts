// The JSON-RPC method table: schema and the core call. Thin on purpose: the core decides who
// may call what (grants), and the vendor-compatible adapters map onto the same core.
import type { z } from 'zod';
import { KysoError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { DOCUMENT_METHODS } from './document-methods.js';
import { def, type MethodDef } from './method-def.js';
import { AuthSignParams, CertificatesListParams, NoParams, SignHashParams, describeIssues } from './schemas.js';

export type { BridgeEnv, MethodDef, MethodEnv } from './method-def.js';

export const PROTOCOL_VERSION = 1;
export const FEATURES = ['tokens', 'certificates', 'auth.sign', 'sign.hash', 'tokens.changed', 'validation', 'pin-retry-info', 'sign.document', 'document.transfer'];

export const METHODS: Record<string, MethodDef<z.ZodTypeAny>> = {
  'bridge.info': def({
    schema: NoParams,
    run: async ({ daemon }) => ({ name: 'kyso-bridge', version: VERSION, protocol: PROTOCOL_VERSION, platform: process.platform, features: [...FEATURES, ...daemon.features()] }),
  }),
  'tokens.list': def({
    schema: NoParams,
    run: async ({ core, ctx }) => ({ tokens: await core.listTokens(ctx) }),
  }),
  'certificates.list': def({
    schema: CertificatesListParams,
    run: async ({ core, ctx }, p) => ({ certificates: await core.listCertificates(ctx, p?.tokenId) }),
  }),
  'auth.sign': def({
    schema: AuthSignParams,
    run: ({ core, ctx }, p) => core.authSign(ctx, p),
  }),
  'sign.hash': def({
    schema: SignHashParams,
    run: async ({ core, ctx }, p) => {
      const r = await core.signHash(ctx, { ...p, hash: Buffer.from(p.hash, 'base64') });
      return { signature: r.signature.toString('base64'), algorithm: r.algorithm, hashAlgorithm: r.hashAlgorithm };
    },
  }),
  ...DOCUMENT_METHODS,
};

export function validateParams(method: MethodDef<z.ZodTypeAny>, params: unknown): unknown {
  const r = method.schema.safeParse(params);
  if (!r.success) throw new KysoError('INVALID_PARAMS', { field: r.error.issues[0]?.path.join('.') }, describeIssues(r.error));
  return r.data;
}
