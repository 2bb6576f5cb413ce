// How serve assembles the compatibility endpoints: a port someone else holds is logged with its
// holder and skipped while the rest start; bridge.info says which are up; --no-compat opens none.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { freshSoftHsm } from './support/softhsm.js';
import { RpcClient } from './support/rpc-client.js';
import { compatUrls, waitForCompat } from './support/compat-clients.js';
import { DAEMON_TRUST, GOV, daemonCa } from './support/compat-fixtures.js';

describe('compatibility endpoints in serve', () => {
  const env = freshSoftHsm([GOV]);
  let holder: Server;
  let held: number;
  const daemons: TestDaemon[] = [];

  beforeAll(async () => {
    // A stand-in for the vendor's own plugin holding its port.
    holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    held = (holder.address() as { port: number }).port;
  });
  afterAll(async () => { await Promise.all(daemons.map((d) => d.stop())); holder?.close(); env.cleanup(); });

  it('a taken port is skipped with its holder named; the others start; bridge.info features list what is up', async () => {
    const d = await startTestDaemon(env, ['--compat', 'vgca,vnpt', '--compat-port', `vgca=${held}`, '--compat-port', 'vnpt=0', ...DAEMON_TRUST]);
    daemons.push(d);
    await waitForCompat(d, ['vgca', 'vnpt']);
    expect(d.stdout()).toMatch(new RegExp(`kyso-bridge compat vgca: port ${held} taken( by .+ \\(pid ${process.pid}\\))?, skipped`));
    expect(compatUrls(d).vnpt).toMatch(/\/plugin$/);
    // stderr and stdout are separate pipes: the log line may arrive after the URL lines.
    await expect.poll(() => d.logs.some((l) => l.includes('compatibility endpoint skipped') && l.includes(`"port":${held}`) && l.includes('EADDRINUSE'))).toBe(true);
    const rpc = await RpcClient.connect(d.url, { origin: 'https://portal.example', ca: daemonCa(d) });
    const info = (await rpc.call('bridge.info')).result as { features: string[] };
    rpc.close();
    expect(info.features).toContain('compat:vnpt');
    expect(info.features).not.toContain('compat:vgca');
    expect(info.features).not.toContain('compat:bkav');
  });

  it('--no-compat opens none; an unknown name is refused at start', async () => {
    const d = await startTestDaemon(env, ['--no-compat', ...DAEMON_TRUST]);
    daemons.push(d);
    expect(d.stdout()).not.toContain('kyso-bridge compat');
    await expect(startTestDaemon(env, ['--compat', 'vgca,viettel', ...DAEMON_TRUST])).rejects.toThrow(/unknown compatibility endpoint viettel/);
  });
});
