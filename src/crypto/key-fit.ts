// Which key types a signature algorithm needs. Checked by the core before any dialog (a request
// that cannot succeed never asks for consent or a PIN), and again by providers.
import { KysoError } from '../errors.js';
import type { SignAlgorithm } from '../types.js';

const KEY_TYPE_FOR: Record<SignAlgorithm, string[]> = { 'RSASSA-PKCS1-v1_5': ['rsa'], 'RSA-PSS': ['rsa', 'rsa-pss'], ECDSA: ['ec'] };

export function checkKeyFits(keyType: string, algorithm: SignAlgorithm): void {
  if (!KEY_TYPE_FOR[algorithm]?.includes(keyType)) {
    throw new KysoError('MECHANISM_INVALID', {}, `${algorithm} needs ${KEY_TYPE_FOR[algorithm]?.join('/') ?? '?'} key, certificate has ${keyType || 'unknown'}`);
  }
}

/** The algorithm a key signs with when the caller names none. */
export function defaultAlgorithm(keyType: string): SignAlgorithm {
  return keyType === 'ec' ? 'ECDSA' : keyType === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
}
