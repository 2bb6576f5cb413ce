// Trust decisions: pinned official roots (by fingerprint), extra anchors given by the caller
// (--trust-anchor, config trustAnchors), and roots imported with `roots import`.
// The OS trust store is deliberately not consulted.
import { fingerprint256, parseCertificates, type CertInput } from './pem.js';
import { findPin } from './pins.js';
import { loadRootCertificates } from './roots-store.js';
import { x509 } from './x509.js';

export type AnchorKind = 'pin' | 'extra' | 'forced';

export class TrustAnchors {
  private readonly byFp = new Map<string, { cert: x509.X509Certificate; kind: AnchorKind }>();

  constructor(extra: CertInput[] = [], rootsDir?: string | false) {
    for (const input of extra) for (const cert of parseCertificates(input)) this.add(cert, findPin(fingerprint256(cert)) ? 'pin' : 'extra');
    if (rootsDir !== false) {
      for (const r of loadRootCertificates(rootsDir)) this.add(r.cert, r.forced ? 'forced' : 'pin');
    }
  }

  private add(cert: x509.X509Certificate, kind: AnchorKind): void {
    const fp = fingerprint256(cert);
    if (!this.byFp.has(fp)) this.byFp.set(fp, { cert, kind });
  }

  /** How a certificate is trusted, if at all. Any copy matching a pin is an anchor. */
  anchorKind(cert: x509.X509Certificate): AnchorKind | undefined {
    const fp = fingerprint256(cert);
    if (findPin(fp)) return 'pin';
    return this.byFp.get(fp)?.kind;
  }

  /** Anchor certificates, to be offered to the chain builder. */
  certificates(): x509.X509Certificate[] {
    return [...this.byFp.values()].map((e) => e.cert);
  }
}
