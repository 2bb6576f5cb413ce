// Wrong PINs and PIN pads through the fault shim's retry counter: the dialog walks count-low →
// final try → locked guidance, and C_Login runs exactly once per PIN the user typed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenSpec } from './support/softhsm.js';
import { RpcClient } from './support/rpc-client.js';
import { PORTAL, listCerts, listTokens, startShimDaemon, type ShimDaemon } from './support/shim-daemon.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const GOV = tokenSpec('KYSO CO QUAN');
const WRONG = '999000';
const hashOf = (s: string) => createHash('sha256').update(s).digest('base64');

describe('PIN retries and PIN pads (fault shim)', () => {
  let sd: ShimDaemon;
  let c: RpcClient;

  beforeAll(async () => {
    sd = await startShimDaemon({ tokens: [ORG, GOV], shim: { maxTries: 3 } });
    c = await RpcClient.connect(sd.d.url, { origin: PORTAL });
  });
  afterAll(async () => { c?.close(); await sd?.stop(); });

  it('three wrong PINs: count-low, then "Còn 1 lần thử", then PIN_LOCKED with the contact-the-CA text; C_Login = entries', async () => {
    const org = (await listCerts(c)).find((x) => x.label === 'leaf-org')!;
    sd.shim.resetState();
    sd.d.pinentry.clearTranscript();
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: WRONG }, { pin: WRONG }, { pin: WRONG }, { pin: ORG.userPin }]);
    const r = await c.call('sign.hash', { certificateId: org.id, hash: hashOf('tờ khai'), hashAlgorithm: 'SHA-256' });
    expect(r.error?.data?.code).toBe('PIN_LOCKED');
    expect(r.error?.message).toContain('liên hệ nhà cung cấp chữ ký số (CA)');

    const t = sd.d.pinentry.transcript();
    expect(t.filter((e) => e.cmd === 'GETPIN')).toHaveLength(3);
    const errors = t.filter((e) => e.cmd === 'SETERROR').map((e) => e.text);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('sắp bị khoá'); // count low
    expect(errors[0]).not.toContain('Còn 1 lần thử');
    expect(errors[1]).toContain('Còn 1 lần thử'); // final try
    // The 5th scripted answer (the right PIN) was never asked for: a locked token gets no dialog.
    expect(sd.d.pinentry.consumed()).toBe(4);
    expect(sd.shim.loginCalls(ORG.label)).toBe(3);
    expect(sd.shim.loginCalls()).toBe(3);
    expect(sd.shim.triesLeft(ORG.label)).toBe(0);

    // Locked now: tokens.list says so, and another sign is refused before any dialog or C_Login.
    const tok = (await listTokens(c)).find((x) => x.label === ORG.label)!;
    expect(tok.pin.locked).toBe(true);
    sd.d.pinentry.clearTranscript();
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const again = await c.call('sign.hash', { certificateId: org.id, hash: hashOf('lần nữa'), hashAlgorithm: 'SHA-256' });
    expect(again.error?.data?.code).toBe('PIN_LOCKED');
    expect(sd.d.pinentry.transcript()).toEqual([]); // not even the consent dialog
    expect(sd.shim.loginCalls(ORG.label)).toBe(3);
  });

  it('a wrong PIN then the right one: two entries, two C_Login calls, signed', async () => {
    const gov = (await listCerts(c)).find((x) => x.label === 'leaf-civil-servant')!;
    const before = sd.shim.loginCalls(GOV.label);
    sd.d.pinentry.clearTranscript();
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: WRONG }, { pin: GOV.userPin }]);
    const r = await c.call('sign.hash', { certificateId: gov.id, hash: hashOf('hồ sơ'), hashAlgorithm: 'SHA-256' });
    expect(r.error).toBeUndefined();
    expect(sd.d.pinentry.transcript().filter((e) => e.cmd === 'GETPIN')).toHaveLength(2);
    expect(sd.shim.loginCalls(GOV.label) - before).toBe(2);
    expect(sd.shim.triesLeft(GOV.label)).toBe(3); // a right PIN resets the counter
  });

  it('PIN pad: only the consent dialog, no PIN dialog; the pad PIN logs in once', async () => {
    sd.shim.write({ maxTries: 3, pinpad: true, pinpadTokens: [GOV.label], pinpadPin: GOV.userPin });
    const tok = (await listTokens(c)).find((x) => x.label === GOV.label)!;
    expect(tok.pin.protectedAuthenticationPath).toBe(true);
    const gov = (await listCerts(c)).find((x) => x.label === 'leaf-civil-servant')!;
    const before = sd.shim.loginCalls(GOV.label);
    sd.d.pinentry.clearTranscript();
    sd.d.pinentry.setScript([{ confirm: 'ok' }]);
    const r = await c.call('sign.hash', { certificateId: gov.id, hash: hashOf('ký bằng bàn phím PIN'), hashAlgorithm: 'SHA-256' });
    expect(r.error).toBeUndefined();
    const cmds = sd.d.pinentry.transcript().map((e) => e.cmd);
    expect(cmds).toContain('CONFIRM');
    expect(cmds).not.toContain('GETPIN');
    expect(sd.shim.loginCalls(GOV.label) - before).toBe(1);
  });
});
