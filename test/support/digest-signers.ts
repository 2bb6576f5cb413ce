// DigestSigners for the document tests: (a) a fixture key file (RSA through node:crypto's raw
// PKCS#1 v1.5 private operation, EC through `openssl pkeyutl`, since node:crypto cannot ECDSA-sign
// a digest it did not compute), (b) a SoftHSM key through the real token layer (Token.sign with a
// {algorithm, hashAlgorithm, hash} request, exactly what the core's PKCS#11 provider does).
import { execFileSync } from 'node:child_process';
import { constants, createPrivateKey, privateEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OUT_DIR } from '../../certs-fixtures/paths.js';
import { x509 } from '../../src/certs/x509.js';
import { ecdsaDerToRaw, HASH_OIDS, namedCurveOf, type DigestSigner, type HashAlgorithm } from '../../src/documents/signer.js';
import type { TokenCertificate } from '../../src/pkcs11/token-manager.js';

export const fixtureDer = (name: string): Buffer => Buffer.from(new x509.X509Certificate(readFileSync(join(OUT_DIR, `${name}.pem`), 'utf8')).rawData);
export const fixturePath = (name: string): string => join(OUT_DIR, `${name}.pem`);

/** Issuer chain of a fixture leaf, leaf excluded, up to and including the root. */
export function fixtureChain(leaf: string): Buffer[] {
  const manifest = JSON.parse(readFileSync(join(OUT_DIR, 'manifest.json'), 'utf8')) as { name: string; issuer: string | null }[];
  const out: Buffer[] = [];
  let issuer = manifest.find((m) => m.name === leaf)?.issuer ?? null;
  while (issuer) {
    out.push(fixtureDer(issuer));
    issuer = manifest.find((m) => m.name === issuer)?.issuer ?? null;
  }
  return out;
}

function digestInfo(h: HashAlgorithm, digest: Buffer): Buffer {
  const info = new pkijs.DigestInfo({
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[h], algorithmParams: new asn1js.Null() }),
    digest: new asn1js.OctetString({ valueHex: new Uint8Array(digest) }),
  });
  return Buffer.from(info.toSchema().toBER());
}

/** Signs with the fixture's private key file; counts calls so tests can assert one call per document. */
export function fixtureKeySigner(name: string): DigestSigner & { calls: number } {
  const keyPem = readFileSync(join(OUT_DIR, `${name}.key.pem`), 'utf8');
  const key = createPrivateKey(keyPem);
  const certificate = fixtureDer(name);
  const ec = key.asymmetricKeyType === 'ec';
  const signer = {
    certificate,
    chain: fixtureChain(name),
    keyType: (ec ? 'ec' : 'rsa') as 'ec' | 'rsa',
    calls: 0,
    async signDigest(h: HashAlgorithm, digest: Buffer): Promise<Buffer> {
      signer.calls++;
      if (!ec) return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(h, digest));
      const der = execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', join(OUT_DIR, `${name}.key.pem`)], { input: digest });
      return ecdsaDerToRaw(der, namedCurveOf(certificate));
    },
  };
  return signer;
}

/** Signs on a SoftHSM token through the project's token layer (the token must be logged in). */
export function tokenSigner(tc: TokenCertificate, chainOf: string): DigestSigner & { calls: number } {
  const ec = new x509.X509Certificate(new Uint8Array(tc.object.der)).publicKey.algorithm.name === 'ECDSA';
  const signer = {
    certificate: Buffer.from(tc.object.der),
    chain: fixtureChain(chainOf),
    keyType: (ec ? 'ec' : 'rsa') as 'ec' | 'rsa',
    calls: 0,
    async signDigest(hashAlgorithm: HashAlgorithm, hash: Buffer): Promise<Buffer> {
      signer.calls++;
      return tc.token.sign(tc.object, { algorithm: ec ? 'ECDSA' : 'RSASSA-PKCS1-v1_5', hashAlgorithm, hash });
    },
  };
  return signer;
}
