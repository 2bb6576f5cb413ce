// What C_GetTokenInfo tells: identity fields, PIN state, and the stable id the API uses.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import type { PinState } from '../types.js';

export interface TokenFacts {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  flags: number;
  minPinLen: number;
  maxPinLen: number;
}

export function tokenFacts(info: pkcs11js.TokenInfo): TokenFacts {
  return {
    label: info.label.trim(), manufacturer: info.manufacturerID.trim(), model: info.model.trim(),
    serial: info.serialNumber.trim(), flags: info.flags, minPinLen: info.minPinLen, maxPinLen: info.maxPinLen,
  };
}

export function pinState(flags: number): PinState {
  const locked = (flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0;
  const finalTry = (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0;
  return {
    loginRequired: (flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
    protectedAuthenticationPath: (flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
    countLow: (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
    finalTry,
    locked,
    // PKCS#11 gives no counter: only these two states are certain.
    retriesLeft: locked ? 0 : finalTry ? 1 : null,
  };
}

function stableModuleName(path: string): string {
  try { return basename(realpathSync(path)); } catch { return basename(path); }
}

/**
 * Slot ids are random in SoftHSM and change on replug in real readers; module + serial + label
 * stay. A short hash keeps the id opaque and URL-safe.
 */
export function stableTokenId(modulePath: string, facts: Pick<TokenFacts, 'serial' | 'label'>): string {
  return createHash('sha256').update(`${stableModuleName(modulePath)}\0${facts.serial}\0${facts.label}`).digest('hex').slice(0, 16);
}
