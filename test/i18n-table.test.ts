// The one text table: every entry in both languages with the same placeholders, and the same
// fact worded the same wherever it is shown (daemon, SDK, portal verifier, validator).
import { describe, expect, it } from 'vitest';
import { statusText } from '../src/certs/index.js';
import { KysoBridgeError } from '../src/client/errors.js';
import { KysoError } from '../src/errors.js';
import { TEXT_TABLE, text } from '../src/i18n/messages.js';
import { AuthVerificationError } from '../src/portal/errors.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the text table', () => {
  it('has every entry in Vietnamese and English with the same placeholders', () => {
    const keys = Object.keys(TEXT_TABLE);
    expect(keys.length).toBeGreaterThan(100);
    for (const k of keys) {
      const { vi, en } = TEXT_TABLE[k]!;
      expect(vi.trim(), k).not.toBe('');
      expect(en.trim(), k).not.toBe('');
      expect(placeholders(vi), k).toEqual(placeholders(en));
    }
    expect(keys.filter((k) => k.startsWith('dialog.')).length).toBeGreaterThan(20);
    expect(keys).toEqual(expect.arrayContaining(['error.MECHANISM_INVALID', 'status.UNTRUSTED', 'portal.STORE_UNAVAILABLE', 'error.TSA_UNAVAILABLE', 'document.CONSENT_TITLE']));
  });

  it('says a certificate is untrusted, expired or not yet valid in the same words everywhere', () => {
    for (const code of ['UNTRUSTED', 'EXPIRED', 'NOT_YET_VALID', 'REVOKED'] as const) {
      const portal = new AuthVerificationError(code, { source: 'certificate' });
      expect(portal.localized('vi'), code).toBe(statusText(code, 'vi'));
      expect(portal.localized('en'), code).toBe(statusText(code, 'en'));
      expect(text(`status.${code}`, 'vi')).toBe(statusText(code, 'vi'));
    }
  });

  it('gives the daemon and the SDK one wording per error code', () => {
    for (const code of ['ORIGIN_NOT_ALLOWED', 'CERTIFICATE_INVALID', 'MECHANISM_INVALID', 'TOKEN_REMOVED', 'INTERNAL'] as const) {
      const daemon = new KysoError(code);
      const sdk = new KysoBridgeError(code === 'MECHANISM_INVALID' ? 'DRIVER_ERROR' : code);
      if (code !== 'MECHANISM_INVALID') expect(sdk.localized('vi'), code).toBe(daemon.localized('vi'));
      expect(daemon.localized('en'), code).toBe(text(`error.${code}`, 'en'));
    }
    expect(new KysoBridgeError('PIN_INCORRECT', undefined, { retriesLeft: 2 }).localized('vi')).toBe(new KysoError('PIN_INCORRECT', { retriesLeft: 2 }).localized('vi'));
  });
});
