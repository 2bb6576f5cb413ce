// The verifier service (`kyso-bridge verifier serve`), usable as a library too.
export { startVerifierService, DEFAULT_VERIFIER_HOST, DEFAULT_VERIFIER_PORT } from './server.js';
export type { VerifierService, VerifierServiceOptions } from './server.js';
export { MAX_BODY_BYTES } from './body.js';
