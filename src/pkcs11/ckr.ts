// Maps PKCS#11 return values (CKR_*) onto the bridge's typed errors.
import pkcs11js from 'pkcs11js';
import { KysoError, type ErrorCode } from '../errors.js';

const CKR_NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(pkcs11js)) {
  if (k.startsWith('CKR_') && typeof v === 'number' && !CKR_NAMES.has(v)) CKR_NAMES.set(v, k);
}

export function ckrName(code: number): string {
  return CKR_NAMES.get(code) ?? `CKR_0x${code.toString(16).toUpperCase()}`;
}

const DIRECT: Record<string, ErrorCode> = {
  CKR_PIN_INCORRECT: 'PIN_INCORRECT',
  CKR_PIN_INVALID: 'PIN_INCORRECT',
  CKR_PIN_LOCKED: 'PIN_LOCKED',
  CKR_PIN_LEN_RANGE: 'PIN_LEN_RANGE',
  CKR_TOKEN_NOT_PRESENT: 'TOKEN_NOT_PRESENT',
  CKR_TOKEN_NOT_RECOGNIZED: 'TOKEN_NOT_PRESENT',
  CKR_DEVICE_REMOVED: 'TOKEN_REMOVED',
  CKR_MECHANISM_INVALID: 'MECHANISM_INVALID',
  CKR_MECHANISM_PARAM_INVALID: 'MECHANISM_INVALID',
  CKR_KEY_TYPE_INCONSISTENT: 'MECHANISM_INVALID',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'MECHANISM_INVALID',
  CKR_FUNCTION_CANCELED: 'USER_CANCELLED',
};

/**
 * Codes a vanished token produces in practice: SoftHSM answers a deleted token with
 * CKR_GENERAL_ERROR / CKR_OBJECT_HANDLE_INVALID, real readers with SESSION/SLOT errors.
 * They mean TOKEN_REMOVED only when the token is really gone: the caller checks presence.
 */
export const MAYBE_REMOVED = new Set([
  'CKR_GENERAL_ERROR', 'CKR_OBJECT_HANDLE_INVALID', 'CKR_KEY_HANDLE_INVALID', 'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED', 'CKR_SLOT_ID_INVALID', 'CKR_DEVICE_ERROR', 'CKR_TOKEN_NOT_PRESENT', 'CKR_DEVICE_REMOVED',
]);

/** The CKR name behind an error thrown by pkcs11js, if any. */
export function ckrOf(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'number') {
    return ckrName((e as { code: number }).code);
  }
  const m = /\b(CKR_[A-Z_]+)\b/.exec(String((e as Error)?.message ?? ''));
  return m?.[1];
}

/** Turns anything a PKCS#11 call threw into a KysoError (already-typed errors pass through). */
export function toKysoError(e: unknown, context: string): KysoError {
  if (e instanceof KysoError) return e;
  const ckr = ckrOf(e);
  const code: ErrorCode = (ckr && DIRECT[ckr]) || 'DRIVER_ERROR';
  return new KysoError(code, ckr ? { ckr } : {}, `${context}: ${ckr ?? (e as Error)?.message ?? String(e)}`);
}
