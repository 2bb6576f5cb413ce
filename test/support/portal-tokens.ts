// Proofs as the bridge's auth.sign makes them, signed by node:crypto with the test PKI's keys.
import { constants, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMessage, type AuthToken } from '../../src/portal/index.js';

export const OUT = join(import.meta.dirname, '..', '..', 'certs-fixtures', 'out');
export const pem = (name: string) => readFileSync(join(OUT, `${name}.pem`), 'utf8');
export const der64 = (name: string) => pem(name).replace(/-----[^-]+-----|\s/g, '');
export const ANCHORS = [pem('root-national'), readFileSync(join(OUT, 'root-gov.pem'))];
export const ANCHOR_FILES = [join(OUT, 'root-national.pem'), join(OUT, 'root-gov.pem')];
export const ORIGIN = 'https://dichvucong.example.gov.vn';

export const CHAINS: Record<string, string[]> = {
  'leaf-org': ['ca-rsa'], 'leaf-mst-cccd': ['ca-rsa'], 'leaf-person': ['ca-ec'], 'leaf-civil-servant': ['ca-gov'], 'leaf-expired': ['ca-rsa'],
  'leaf-untrusted': ['ca-untrusted'], 'leaf-no-sign-usage': ['ca-rsa'], 'leaf-not-yet-valid': ['ca-rsa'], 'leaf-revoked': ['ca-rsa'],
};

/** What the bridge's auth.sign would return for this leaf, nonce and origin. */
export function makeToken(leaf: string, nonce: string, opts: { origin?: string; alg?: AuthToken['algorithm']; keyOf?: string } = {}): AuthToken {
  const origin = opts.origin ?? ORIGIN;
  const key = createPrivateKey(readFileSync(join(OUT, `${opts.keyOf ?? leaf}.key.pem`)));
  const msg = authMessage(origin, nonce);
  const alg = opts.alg ?? (key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256');
  const signature = alg === 'ES256' ? sign('sha256', msg, { key, dsaEncoding: 'ieee-p1363' })
    : alg === 'PS256' ? sign('sha256', msg, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : sign('sha256', msg, key);
  return {
    format: 'kyso-auth:1', certificate: der64(leaf), chain: (CHAINS[leaf] ?? []).map(der64),
    algorithm: alg, signature: signature.toString('base64'), origin,
  };
}
