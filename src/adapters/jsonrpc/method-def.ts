// What a JSON-RPC method is: a params schema and a call into the core, given the connection's
// context and its document store.
import type { z } from 'zod';
import type { BridgeService, CallContext } from '../../core/bridge-service.js';
import type { DocumentStore } from './document-store.js';

/** What the daemon around the adapter tells bridge.info (e.g. which compatibility endpoints are up). */
export interface BridgeEnv { features: () => string[] }

export interface MethodEnv {
  core: BridgeService;
  ctx: CallContext;
  /** This connection's uploads and signed results. */
  documents: DocumentStore;
  daemon: BridgeEnv;
}

export interface MethodDef<S extends z.ZodTypeAny> {
  schema: S;
  run(env: MethodEnv, params: z.infer<S>): Promise<unknown>;
}

export function def<S extends z.ZodTypeAny>(d: MethodDef<S>): MethodDef<S> {
  return d;
}
