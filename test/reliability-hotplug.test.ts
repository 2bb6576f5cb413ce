// Hot-plug through the fault shim: a token pulled mid-sign, the others keep serving, the token
// plugged back is usable without a restart; tokens.changed within 1 s; an idle daemon uses
// (almost) no CPU.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenSpec } from './support/softhsm.js';
import { RpcClient } from './support/rpc-client.js';
import { PORTAL, cpuSeconds, listCerts, startShimDaemon, waitForTokens, type ShimDaemon } from './support/shim-daemon.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const GOV = tokenSpec('KYSO CO QUAN');
/** Long enough to pull the token while C_Sign runs; the shim re-checks presence after it. */
const SIGN_LATENCY_MS = 1_200;
const hashOf = (s: string) => createHash('sha256').update(s).digest('base64');

describe('hot-plug and removal (fault shim)', () => {
  let sd: ShimDaemon;
  let c: RpcClient;
  const latencies: number[] = [];

  beforeAll(async () => {
    sd = await startShimDaemon({ tokens: [ORG, GOV], shim: { maxTries: 0 }, args: ['--pin-cache', '60'] });
    c = await RpcClient.connect(sd.d.url, { origin: PORTAL });
  });
  afterAll(async () => {
    c?.close();
    await sd?.stop();
    // The figures the issue asks for; printed so CI logs keep them.
    if (latencies.length) console.log(`hot-plug: tokens.changed latency ms = ${latencies.join(', ')} (max ${Math.max(...latencies)})`);
  });

  it('an idle daemon stays near zero CPU (no busy loop)', async () => {
    await new Promise((r) => setTimeout(r, 1_000)); // past start-up
    const pid = sd.d.child.pid!;
    const before = cpuSeconds(pid);
    const wallMs = 5_000;
    await new Promise((r) => setTimeout(r, wallMs));
    const used = cpuSeconds(pid) - before;
    const percent = (100 * used) / (wallMs / 1000);
    console.log(`idle CPU: ${(used * 1000).toFixed(0)} ms over ${wallMs / 1000} s = ${percent.toFixed(2)} % of one core`);
    // A polling loop without a timer would burn ~100 %; the watcher's polls cost well under 1 %.
    expect(percent).toBeLessThan(5);
  });

  it('tokens.changed reaches the page within 1 s of a token leaving and coming back', async () => {
    const anyPhase = () => new Promise((r) => setTimeout(r, Math.random() * 600)); // not right after a poll
    for (let round = 0; round < 3; round++) {
      await anyPhase();
      let since = c.notifications.length;
      const pulled = Date.now();
      sd.shim.write({ maxTries: 0, hide: [GOV.label] });
      const gone = await waitForTokens(c, (l) => !l.includes(GOV.label) && l.includes(ORG.label), since);
      latencies.push(gone.at - pulled);
      await anyPhase();
      since = c.notifications.length;
      const plugged = Date.now();
      sd.shim.write({ maxTries: 0 });
      const back = await waitForTokens(c, (l) => l.includes(GOV.label) && l.includes(ORG.label), since);
      latencies.push(back.at - plugged);
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });

  it('pulled mid-sign: TOKEN_REMOVED within 1 s, the other token keeps serving, replugged it signs again without a restart', async () => {
    const certs = await listCerts(c);
    const org = certs.find((x) => x.label === 'leaf-org')!;
    const gov = certs.find((x) => x.label === 'leaf-civil-servant')!;
    sd.shim.write({ maxTries: 0, latencyMs: SIGN_LATENCY_MS, latencyCalls: ['C_Sign'] });
    // Warm the PIN cache so the sign under test goes straight to the token.
    // (Every raw hash still has its consent dialog: the PIN cache spares only the PIN.)
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }, { confirm: 'ok' }]);
    expect((await c.call('sign.hash', { certificateId: org.id, hash: hashOf('warm'), hashAlgorithm: 'SHA-256' })).error).toBeUndefined();

    const since = c.notifications.length;
    const signing = c.call('sign.hash', { certificateId: org.id, hash: hashOf('tờ khai thuế'), hashAlgorithm: 'SHA-256' });
    // Once its consent is answered the sign goes to the token; then it is inside C_Sign (which lasts SIGN_LATENCY_MS).
    await vi.waitUntil(() => sd.d.pinentry.consumed() >= 3, { timeout: 30_000, interval: 20 });
    await new Promise((r) => setTimeout(r, 450));
    const pulled = Date.now();
    sd.shim.write({ maxTries: 0, latencyMs: SIGN_LATENCY_MS, latencyCalls: ['C_Sign'], hide: [ORG.label] });
    const reply = await signing;
    const replyMs = Date.now() - pulled;
    const failed = () => sd.d.logs.filter((l) => l.includes('failed')).slice(-3).join('\n');
    expect(reply.error?.data?.code, JSON.stringify(reply)).toBe('TOKEN_REMOVED');
    expect(reply.error?.message).toContain('rút ra');
    expect(replyMs, 'TOKEN_REMOVED after the pull (ms)').toBeLessThan(1_000);
    // It was pulled inside C_Sign: the token answered DEVICE_REMOVED to the running operation.
    expect(sd.d.logs.some((l) => l.includes('"op":"sign"') && l.includes('CKR_DEVICE_REMOVED')), `not pulled inside C_Sign:\n${failed()}`).toBe(true);
    const gone = await waitForTokens(c, (l) => !l.includes(ORG.label), since);
    expect(gone.at - pulled, 'tokens.changed after the pull (ms)').toBeLessThan(1_000);

    // The other token is untouched: it still signs (its own consent + PIN).
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV.userPin }]);
    const other = await c.call('sign.hash', { certificateId: gov.id, hash: hashOf('vẫn ký được'), hashAlgorithm: 'SHA-256' });
    expect(other.error, JSON.stringify(other.error)).toBeUndefined();
    // Asking for the pulled token's certificate is a clear error, not a hang.
    const absent = await c.call('sign.hash', { certificateId: org.id, hash: hashOf('x'), hashAlgorithm: 'SHA-256' });
    expect(absent.error?.data?.code).toBe('CERTIFICATE_NOT_FOUND');

    // Plugged back: the same certificate id, a fresh login (the token forgot it), a good signature.
    const since2 = c.notifications.length;
    const plugged = Date.now();
    sd.shim.write({ maxTries: 0 });
    const back = await waitForTokens(c, (l) => l.includes(ORG.label), since2);
    expect(back.at - plugged, 'tokens.changed after the replug (ms)').toBeLessThan(1_000);
    expect((await listCerts(c)).map((x) => x.id)).toContain(org.id);
    sd.d.pinentry.clearTranscript();
    sd.d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const again = await c.call('sign.hash', { certificateId: org.id, hash: hashOf('sau khi cắm lại'), hashAlgorithm: 'SHA-256' });
    expect(again.error, JSON.stringify(again.error)).toBeUndefined();
    expect(sd.d.pinentry.transcript().filter((e) => e.cmd === 'GETPIN')).toHaveLength(1);
    expect(sd.d.child.exitCode).toBeNull(); // same daemon process all along
  });
});
