// XML-DSig algorithm identifiers and the xml-crypto algorithm classes of this bridge: signing goes
// to the DigestSigner (the engine hashes SignedInfo), ECDSA values are raw r‖s (XML-DSig 1.1), and
// ECDSA verification, which xml-crypto lacks, is done with node:crypto.
import { createPublicKey, verify, type KeyLike } from 'node:crypto';
import { invalidParams } from './errors.js';
import { digest, nodeHashName, signDigestChecked, type DigestSigner, type HashAlgorithm } from './signer.js';

export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SIGNATURE_PROPERTIES_TYPE = 'http://www.w3.org/2000/09/xmldsig#SignatureProperties';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const DIGEST_URIS: Partial<Record<HashAlgorithm, string>> = {
  'SHA-1': 'http://www.w3.org/2000/09/xmldsig#sha1',
  'SHA-256': 'http://www.w3.org/2001/04/xmlenc#sha256',
  'SHA-512': 'http://www.w3.org/2001/04/xmlenc#sha512',
};

const SIGNATURE_URIS: Record<'rsa' | 'ec', Partial<Record<HashAlgorithm, string>>> = {
  rsa: {
    'SHA-1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    'SHA-256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'SHA-512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  },
  ec: {
    'SHA-1': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
    'SHA-256': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
    'SHA-512': 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
  },
};

export function signatureUri(keyType: 'rsa' | 'ec', h: HashAlgorithm): string {
  const uri = SIGNATURE_URIS[keyType][h];
  if (!uri || !DIGEST_URIS[h]) throw invalidParams(`XML-DSig signs with SHA-1, SHA-256 or SHA-512, not ${h}`);
  return uri;
}

/** Key type and hash of a SignatureMethod URI, for the verifier. */
export function parseSignatureUri(uri: string): { keyType: 'rsa' | 'ec'; hash: HashAlgorithm } | undefined {
  for (const keyType of ['rsa', 'ec'] as const) {
    for (const [hash, u] of Object.entries(SIGNATURE_URIS[keyType])) if (u === uri) return { keyType, hash: hash as HashAlgorithm };
  }
  return undefined;
}

type Callback = (err: Error | null, value?: string) => void;

/** An xml-crypto SignatureAlgorithm class that signs through the DigestSigner. */
export function externalSignatureClass(uri: string, signer: DigestSigner, h: HashAlgorithm): new () => object {
  return class ExternalSignature {
    getAlgorithmName(): string { return uri; }
    getSignature(signedInfo: string | Uint8Array, _key: unknown, callback?: Callback): void {
      if (!callback) throw new Error('the external signer is asynchronous');
      signDigestChecked(signer, h, digest(h, signedInfo)).then((sig) => callback(null, sig.toString('base64')), (e: Error) => callback(e));
    }
    verifySignature(): boolean { throw new Error('not a verifier'); }
  };
}

/** xml-crypto lacks ECDSA; r‖s values are checked with node:crypto. */
export function ecdsaVerifierClass(uri: string, h: HashAlgorithm): new () => object {
  return class EcdsaVerifier {
    getAlgorithmName(): string { return uri; }
    getSignature(): string { throw new Error('not a signer'); }
    verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
      return verify(nodeHashName(h), Buffer.from(material), { key: createPublicKey(key), dsaEncoding: 'ieee-p1363' }, Buffer.from(signatureValue, 'base64'));
    }
  };
}

export const ECDSA_URIS = SIGNATURE_URIS.ec;
