// Stopping the daemon while a dialog is open: the page gets BRIDGE_STOPPED ("the signing tool
// stopped"), a clear error, not INTERNAL; the SDK maps it to its own class.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BridgeStoppedError, errorFromRpc } from '../src/client/errors.js';
import { startTestDaemon } from './support/daemon.js';
import { RpcClient } from './support/rpc-client.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const PORTAL = 'https://portal.example';

describe('daemon stopped during a dialog', () => {
  const env = freshSoftHsm([tokenSpec('KYSO CONG DAN')]);
  afterAll(() => env.cleanup());

  it('answers BRIDGE_STOPPED in the page language, then closes', async () => {
    const d = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--revocation', 'off', '--trust-anchor', 'certs-fixtures/out/root-national.pem']);
    const c = await RpcClient.connect(`${d.url}?lang=en`, { origin: PORTAL });
    d.pinentry.setScript([{ hang: true }]);
    const pending = c.call('auth.sign', { nonce: randomBytes(32).toString('base64url') });
    for (const end = Date.now() + 20_000; !d.pinentry.transcript().some((e) => e.cmd === 'CONFIRM') && Date.now() < end;) await new Promise((r) => setTimeout(r, 25));
    expect(d.pinentry.transcript().some((e) => e.cmd === 'CONFIRM')).toBe(true); // the consent dialog is open
    const exit = d.stop('SIGTERM');
    const r = await pending;
    expect(r.error?.data?.code).toBe('BRIDGE_STOPPED');
    expect(r.error?.message).toContain('stopped');
    expect(errorFromRpc(r.error!)).toBeInstanceOf(BridgeStoppedError);
    expect(await exit).toBe(0);
    c.close();
  });
});
