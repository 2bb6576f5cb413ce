import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { capturingLogger, openManager } from './support/tokens.js';

describe('PIN handling', () => {
  const spec = tokenSpec('KYSO CONG DAN');
  const env = freshSoftHsm([spec]);
  const { log, lines } = capturingLogger();
  const WRONG = '987654';
  let manager: TokenManager;

  beforeAll(async () => { manager = await openManager(env, [], log); });
  afterAll(() => { manager.close(); env.cleanup(); });

  it('a wrong PIN gives PIN_INCORRECT once, with countLow from the token, and is not retried', async () => {
    const token = manager.tokens()[0];
    const err = await token.login(WRONG).catch((e) => e);
    expect(err.code).toBe('PIN_INCORRECT');
    expect(err.data.countLow).toBe(true);
    expect(token.toJSON().pin.countLow).toBe(true);
    expect(token.toJSON().pin.retriesLeft).toBeNull(); // SoftHSM never tells FINAL_TRY: unknown
    expect(err.localized('vi')).toContain('Mã PIN không đúng');
    expect(token.loggedIn).toBe(false);
  });

  it('the right PIN logs in, and the state shows no more wrong entries', async () => {
    const token = manager.tokens()[0];
    await token.login(spec.userPin);
    expect(token.loggedIn).toBe(true);
    expect(token.toJSON().pin.countLow).toBe(false);
    await token.logout();
    expect(token.loggedIn).toBe(false);
  });

  it('a PIN of an impossible length is its own error', async () => {
    const err = await manager.tokens()[0].login('1').catch((e) => e);
    expect(['PIN_LEN_RANGE', 'PIN_INCORRECT']).toContain(err.code);
  });

  it('never writes a PIN into any log line', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(WRONG);
      expect(line).not.toContain(spec.userPin);
    }
  });
});
