// How a dialog names the site that asks. A long host must not push the real site out of view
// ("https://portal.acc.test.aaaa…" hiding ".evil.test"): the registrable domain (eTLD+1 from the
// public suffix list, via tldts) is always shown whole, and only the left part of the host is
// shortened. IDN hosts are shown in Unicode with the punycode form beside them.
import { domainToUnicode } from 'node:url';
import { parse } from 'tldts';

/** Characters of the subdomain kept (its right end, next to the registrable domain). */
const SUBDOMAIN_KEEP = 24;

export interface OriginDisplay {
  /** scheme://[…left part.]registrable.domain[:port], safe to print. */
  origin: string;
  /** The registrable domain (or the host itself for IPs, localhost, single labels). */
  site: string;
  /** The punycode host when it differs from the Unicode one shown. */
  punycode?: string;
}

function unicodeOf(host: string): string {
  return host.split('.').map((label) => (label.startsWith('xn--') ? domainToUnicode(label) || label : label)).join('.');
}

function shorten(sub: string): string {
  return sub.length > SUBDOMAIN_KEEP ? `…${sub.slice(-SUBDOMAIN_KEEP)}` : sub;
}

export function displayOrigin(origin: string): OriginDisplay {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { origin: origin.slice(0, 60), site: origin.slice(0, 60) };
  }
  const host = url.hostname;
  const info = parse(host, { allowPrivateDomains: true });
  const domain = info.domain && !info.isIp ? info.domain : host;
  const sub = domain === host ? '' : host.slice(0, host.length - domain.length - 1);
  const port = url.port ? `:${url.port}` : '';
  const form = (s: string, d: string) => `${url.protocol}//${s ? `${shorten(s)}.` : ''}${d}${port}`;
  const uSub = unicodeOf(sub);
  const uDomain = unicodeOf(domain);
  const shown = form(uSub, uDomain);
  const ascii = form(sub, domain);
  return { origin: shown, site: uDomain, ...(shown !== ascii ? { punycode: ascii } : {}) };
}

/** The origin as a dialog prints it, with the punycode form beside an IDN one. */
export function originLine(origin: string): string {
  const d = displayOrigin(origin);
  return d.punycode ? `${d.origin} (${d.punycode})` : d.origin;
}
