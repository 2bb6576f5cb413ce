// Proofs made in advance, in-process, by the SoftHSM tokens of the test PKI: the same PKCS#11
// signing and proof format the daemon uses (RS256 on "KYSO DOANH NGHIEP", ES256 on "KYSO CONG DAN").
import { authAlgorithmFor, authSignRequest } from '../src/core/auth-proof.js';
import type { DigestSignRequest } from '../src/core/credentials.js';
import type { SignRequest } from '../src/pkcs11/mechanism.js';
import type { TokenCertificate, TokenManager } from '../src/pkcs11/token-manager.js';
import { authMessage, AUTH_FORMAT, type AuthToken } from '../src/proof/auth-proof.js';
import { tokenSpec } from '../test/support/softhsm.js';
import { openRsaAndEc } from '../test/support/tokens.js';
import type { SoftHsmEnv } from '../certs-fixtures/softhsm.js';

interface Signer { cert: TokenCertificate; token: Omit<AuthToken, 'signature'> }

/** The core's digest request in the token layer's shape (what the PKCS#11 provider does). */
const toTokenRequest = (r: DigestSignRequest): SignRequest => ({ algorithm: r.algorithm, hashAlgorithm: r.hashAlgorithm, hash: r.digest, saltLength: r.saltLength });

export class ProofMaker {
  private constructor(private readonly manager: TokenManager, private readonly signers: Signer[]) {}

  static async open(env: SoftHsmEnv, origin: string): Promise<ProofMaker> {
    const { manager, rsa, ec } = await openRsaAndEc(env);
    const signers: Signer[] = [];
    for (const [cert, label] of [[rsa, 'KYSO DOANH NGHIEP'], [ec, 'KYSO CONG DAN']] as const) {
      const chain = (await manager.authorityCertificates(cert.token.id)).map((c) => c.raw.toString('base64'));
      const key = cert.object.keyType === 'ec' ? 'ec' : 'rsa';
      const algorithm = authAlgorithmFor(key, 'P-256');
      // Log in once and stay logged in: the bench measures the verifier, not the PIN.
      await cert.token.signWithPin(cert.object, tokenSpec(label).userPin, toTokenRequest(authSignRequest(algorithm, authMessage(origin, 'warm-up'))), true);
      signers.push({ cert, token: { format: AUTH_FORMAT, certificate: cert.object.der.toString('base64'), chain, algorithm, origin } });
    }
    return new ProofMaker(manager, signers);
  }

  /** The proof for nonce i: RSA for even i, EC for odd. */
  async make(i: number, nonce: string): Promise<AuthToken> {
    const s = this.signers[i % this.signers.length];
    const sig = await s.cert.token.sign(s.cert.object, toTokenRequest(authSignRequest(s.token.algorithm, authMessage(s.token.origin, nonce))));
    return { ...s.token, signature: sig.toString('base64') };
  }

  close(): void {
    this.manager.close();
  }
}
