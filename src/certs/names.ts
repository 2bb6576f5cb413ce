// Distinguished names printed the way `kyso-bridge certs --json` prints them (UID=…, E=…
// instead of dotted OIDs), so a portal stores the same text the bridge shows.
import { x509 } from './x509.js';

/** Short names for attributes Vietnamese CAs use that the library prints as OIDs. */
const EXTRA_NAMES = { UID: '0.9.2342.19200300.100.1.1', E: '1.2.840.113549.1.9.1', OI: '2.5.4.97', TEL: '2.5.4.20' };

export function formatName(name: x509.Name): string {
  return new x509.Name(name.toArrayBuffer(), EXTRA_NAMES).toString();
}
