// The JSON-RPC method table: schema, whether an approved origin is needed, and the core call.
// This adapter is thin on purpose: compatibility endpoints (VGCA, VNPT) map onto the same core.
import { z } from 'zod';
import { KysoError } from '../errors.js';
import type { BridgeService, CallContext } from '../core/bridge-service.js';
import { VERSION } from '../version.js';
import { AuthSignParams, CertificatesListParams, NoParams, SignHashParams, describeIssues } from './schemas.js';

export const PROTOCOL_VERSION = 1;
export const FEATURES = ['tokens', 'certificates', 'auth.sign', 'sign.hash', 'tokens.changed', 'validation', 'pin-retry-info'];

interface MethodDef<S extends z.ZodTypeAny> {
  schema: S;
  /** Open to origins the user has not approved (plugin detection). */
  public?: boolean;
  run(core: BridgeService, ctx: CallContext, params: z.infer<S>): Promise<unknown>;
}

function def<S extends z.ZodTypeAny>(d: MethodDef<S>): MethodDef<S> {
  return d;
}

export const METHODS: Record<string, MethodDef<z.ZodTypeAny>> = {
  'bridge.info': def({
    schema: NoParams, public: true,
    run: async () => ({ name: 'kyso-bridge', version: VERSION, protocol: PROTOCOL_VERSION, platform: process.platform, features: FEATURES }),
  }),
  'tokens.list': def({
    schema: NoParams,
    run: async (core) => ({ tokens: await core.listTokens() }),
  }),
  'certificates.list': def({
    schema: CertificatesListParams,
    run: async (core, ctx, p) => ({ certificates: await core.listCertificates(p?.tokenId, ctx) }),
  }),
  'auth.sign': def({
    schema: AuthSignParams,
    run: (core, ctx, p) => core.authSign(ctx, p),
  }),
  'sign.hash': def({
    schema: SignHashParams,
    run: (core, ctx, p) => core.signHash(ctx, { ...p, hash: Buffer.from(p.hash, 'base64') }),
  }),
};

export function validateParams(method: MethodDef<z.ZodTypeAny>, params: unknown): unknown {
  const r = method.schema.safeParse(params);
  if (!r.success) throw new KysoError('INVALID_PARAMS', { field: r.error.issues[0]?.path.join('.') }, describeIssues(r.error));
  return r.data;
}
