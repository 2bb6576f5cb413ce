// Signing a digest the core computed with a private key held in memory (a .p12 key).
// node:crypto signs only whole messages (it hashes them itself), so each scheme takes the
// library path that accepts a finished digest:
// - RSA PKCS#1 v1.5: OpenSSL's PKCS#1 type-1 padding over the DigestInfo (privateEncrypt).
// - RSA-PSS: node-forge's EMSA-PSS encoder (it only reads the digest from the md object it is
//   handed), then OpenSSL's raw RSA private operation on the encoded block.
// - ECDSA: @noble/curves signs the digest with the private scalar (hedged RFC 6979 nonce);
//   raw r‖s, as PKCS#11 returns it.
import { constants, privateEncrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { KysoError } from '../errors.js';
import type { DigestSignRequest } from '../core/credentials.js';
import type { HashAlgorithm } from '../types.js';
import { digestInfo, HASH_LENGTH } from '../crypto/digests.js';

const CURVES = { prime256v1: p256, secp384r1: p384, secp521r1: p521 } as const;

const FORGE_MD: Record<HashAlgorithm, () => forge.md.MessageDigest> = {
  'SHA-1': () => forge.md.sha1.create(),
  'SHA-256': () => forge.md.sha256.create(),
  'SHA-384': () => forge.md.sha384.create(),
  'SHA-512': () => forge.md.sha512.create(),
};

export function signDigest(key: KeyObject, request: DigestSignRequest): Buffer {
  if (request.digest.length !== HASH_LENGTH[request.hashAlgorithm]) {
    throw new KysoError('INVALID_PARAMS', {}, `digest is ${request.digest.length} bytes, ${request.hashAlgorithm} gives ${HASH_LENGTH[request.hashAlgorithm]}`);
  }
  switch (request.algorithm) {
    case 'RSASSA-PKCS1-v1_5':
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(request.hashAlgorithm, request.digest));
    case 'RSA-PSS':
      return signPss(key, request);
    case 'ECDSA':
      return signEcdsa(key, request.digest);
    default:
      throw new KysoError('MECHANISM_INVALID', {}, `unknown algorithm ${String(request.algorithm)}`);
  }
}

function signPss(key: KeyObject, request: DigestSignRequest): Buffer {
  const modulusBits = key.asymmetricKeyDetails?.modulusLength;
  if (!modulusBits) throw new KysoError('MECHANISM_INVALID', {}, 'RSA-PSS needs an RSA key');
  const saltLength = request.saltLength ?? HASH_LENGTH[request.hashAlgorithm];
  const pss = forge.pss.create({
    md: FORGE_MD[request.hashAlgorithm](),
    mgf: forge.mgf.mgf1.create(FORGE_MD[request.hashAlgorithm]()),
    saltLength,
  });
  const digest = forge.util.createBuffer(request.digest.toString('binary'));
  const finishedDigest = { digest: () => digest } as unknown as forge.md.MessageDigest;
  let encoded: Buffer;
  try {
    encoded = Buffer.from(pss.encode(finishedDigest, modulusBits), 'binary');
  } catch (e) {
    throw new KysoError('INVALID_PARAMS', {}, `RSA-PSS salt length ${saltLength}: ${(e as Error).message}`);
  }
  // EMSA-PSS gives ceil((modBits - 1) / 8) bytes; the raw RSA operation takes the modulus size.
  const block = Buffer.alloc(Math.ceil(modulusBits / 8));
  encoded.copy(block, block.length - encoded.length);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, block);
}

function signEcdsa(key: KeyObject, digest: Buffer): Buffer {
  const curveName = key.asymmetricKeyDetails?.namedCurve ?? '';
  const curve = CURVES[curveName as keyof typeof CURVES];
  if (key.asymmetricKeyType !== 'ec' || !curve) throw new KysoError('MECHANISM_INVALID', {}, `ECDSA on curve ${curveName || 'none'}`);
  const jwk = key.export({ format: 'jwk' });
  const scalar = Buffer.from(jwk.d ?? '', 'base64url');
  try {
    return Buffer.from(curve.sign(digest, scalar, { prehash: false, extraEntropy: true, lowS: false }));
  } finally {
    scalar.fill(0);
  }
}
