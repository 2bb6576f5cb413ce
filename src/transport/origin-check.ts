// Checks made before a WebSocket exists: the Host header (DNS rebinding) and the Origin header
// (null, file:// and other schemes refused; a missing one only for allowed local programs).
// What an accepted origin may then ask for is the core's decision (grants).
import { LOCAL_PROGRAM_ORIGIN, normalizeOrigin } from '../origin.js';

export type UpgradeVerdict = { accept: true; origin: string } | { accept: false; reason: string };

export function originAtUpgrade(header: string | undefined, allowLocalPrograms: boolean): UpgradeVerdict {
  if (header === undefined || header === '') {
    return allowLocalPrograms ? { accept: true, origin: LOCAL_PROGRAM_ORIGIN } : { accept: false, reason: 'no Origin header (local programs are not allowed)' };
  }
  if (header === 'null') return { accept: false, reason: 'opaque origin "null"' };
  if (!/^https?:\/\//i.test(header)) return { accept: false, reason: `scheme not allowed: ${header.slice(0, 40)}` };
  try {
    return { accept: true, origin: normalizeOrigin(header) };
  } catch {
    return { accept: false, reason: 'malformed Origin' };
  }
}

/** DNS-rebinding guard: the Host header must name loopback with our port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}
