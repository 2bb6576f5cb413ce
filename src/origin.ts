// Web origins as the bridge compares them: scheme://host[:port], lower case, http(s) only.
import { KysoError } from './errors.js';

/** The origin recorded for local programs (no Origin header) when --allow-local-programs is on. */
export const LOCAL_PROGRAM_ORIGIN = 'local-program';
/** The origin of the machine's own user signing from the command line (`kyso-bridge sign`). */
export const LOCAL_USER_ORIGIN = 'local-user';

/**
 * `https://DichVuCong.gov.vn:443/path` → `https://dichvucong.gov.vn`. Strict: a scheme is
 * required, and only http(s) origins are accepted; anything else (the opaque "null") is refused.
 */
export function normalizeOrigin(input: string): string {
  const raw = input.trim();
  let url: URL;
  try {
    if (!/^https?:\/\//i.test(raw)) throw new Error('no http(s) scheme');
    url = new URL(raw);
  } catch {
    throw new KysoError('INVALID_PARAMS', {}, `not an origin: ${JSON.stringify(input)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new KysoError('INVALID_PARAMS', {}, `not an http(s) origin: ${JSON.stringify(input)}`);
  }
  return url.origin.toLowerCase();
}

/** For people typing at the CLI: a bare host means https://host. */
export function parseOriginArg(input: string): string {
  const raw = input.trim();
  return normalizeOrigin(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`);
}
