// Chain building over the candidate pool (token CA objects, intermediates, anchors), completed
// by AIA caIssuers fetches. @peculiar/x509's X509ChainBuilder links a certificate to a pool
// certificate only when the subject/AKI match AND the signature verifies, so every link of a
// built chain is signature-checked (RSA PKCS#1 v1.5 SHA-1…512, RSA-PSS, ECDSA via WebCrypto).
import { fetchCaIssuers, caIssuerUrls, type AiaContext } from './aia.js';
import { verifyCertSignature } from './algorithms.js';
import { displayName, type Failure } from './checks.js';
import { fingerprint256 } from './pem.js';
import type { AnchorKind, TrustAnchors } from './trust.js';
import { x509 } from './x509.js';

/** AIA hops allowed per validation: real Vietnamese chains are 2–3 deep. */
const MAX_AIA_ROUNDS = 4;

export interface ChainResult {
  /** Leaf first; ends at the anchor when one was reached. */
  chain: x509.X509Certificate[];
  anchor?: AnchorKind;
  failure?: Failure;
}

function dedupe(certs: x509.X509Certificate[]): x509.X509Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    const fp = fingerprint256(c);
    if (seen.has(fp)) return false;
    seen.add(fp);
    return true;
  });
}

async function build(leaf: x509.X509Certificate, pool: x509.X509Certificate[]): Promise<x509.X509Certificate[]> {
  try {
    return [...(await new x509.X509ChainBuilder({ certificates: pool }).build(leaf))];
  } catch {
    return [leaf];
  }
}

export async function buildChain(leaf: x509.X509Certificate, candidates: x509.X509Certificate[], anchors: TrustAnchors, aia?: AiaContext): Promise<ChainResult> {
  let pool = dedupe([...candidates, ...anchors.certificates()]);
  const tried = new Set<string>();
  for (let round = 0; ; round++) {
    const chain = await build(leaf, pool);
    const at = chain.findIndex((c) => anchors.anchorKind(c) !== undefined);
    if (at >= 0) return { chain: chain.slice(0, at + 1), anchor: anchors.anchorKind(chain[at]) };
    const top = chain[chain.length - 1];
    const urls = caIssuerUrls(top).filter((u) => !tried.has(u));
    if (!aia || round >= MAX_AIA_ROUNDS || urls.length === 0 || top.subject === top.issuer) {
      return { chain, failure: await whyNoAnchor(top, pool) };
    }
    const before = pool.length;
    for (const url of urls) {
      tried.add(url);
      pool = dedupe([...pool, ...(await fetchCaIssuers(url, aia))]);
    }
    if (pool.length === before) return { chain, failure: await whyNoAnchor(top, pool) };
  }
}

/** A named issuer whose key does not verify the signature is a bad signature, not a missing CA. */
async function whyNoAnchor(top: x509.X509Certificate, pool: x509.X509Certificate[]): Promise<Failure> {
  const named = pool.filter((c) => c.subject === top.issuer && fingerprint256(c) !== fingerprint256(top));
  if (named.length > 0) {
    let verifies = false;
    for (const c of named) if (await verifyCertSignature(top, c)) verifies = true;
    if (!verifies) return { code: 'BAD_SIGNATURE', reason: { key: 'LINK_SIGNATURE', arg: displayName(top) } };
  }
  if (top.subject === top.issuer) return { code: 'UNTRUSTED', reason: { key: 'UNTRUSTED_ROOT', arg: displayName(top) } };
  return { code: 'UNTRUSTED', reason: { key: 'NO_ISSUER', arg: displayName(top) } };
}
