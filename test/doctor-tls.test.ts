// `kyso-bridge doctor` on the loopback TLS certificate: not created yet, created but not trusted
// by the browser's NSS database, trusted after `kyso-bridge trust install` (real certutil).
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial } from '../src/transport/tls.js';
import { CLI } from './support/daemon.js';
import { FAKE_PINENTRY } from './support/fake-pinentry.js';
import { sharedSoftHsm } from './support/softhsm.js';
import { TRUST_ARGS } from './support/shim-daemon.js';

interface Finding { id: string; severity: string; message: string; fix: string }

describe('kyso-bridge doctor: TLS certificate and browser trust', () => {
  const home = mkdtempSync(join(tmpdir(), 'kyso-doctor-home-'));
  const configDir = join(home, '.config', 'kyso-bridge');
  const shared = sharedSoftHsm();
  const env = { ...process.env, ...shared.env, HOME: home, KYSO_CONFIG_DIR: configDir, KYSO_SYSFS_ROOT: join(home, 'no-sysfs'), XDG_CACHE_HOME: join(home, 'cache') };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const run = (cmd: string[]): Promise<string> => new Promise((res) => {
    execFile(process.execPath, [CLI, ...cmd], { env, encoding: 'utf8', timeout: 60_000 }, (_err, stdout) => res(stdout));
  });
  const doctor = async (): Promise<Finding[]> =>
    (JSON.parse(await run(['doctor', '--json', '--module', shared.modulePath, ...TRUST_ARGS, '--pinentry', FAKE_PINENTRY, '--port', '9'])) as { findings: Finding[] }).findings;
  const tlsFindings = (fs: Finding[]) => fs.filter((f) => f.id.startsWith('tls.'));

  it('walks missing → untrusted → trusted, each with its fix', async () => {
    const missing = tlsFindings(await doctor());
    expect(missing.map((f) => f.id)).toEqual(['tls.missing']);
    expect(missing[0].fix).toContain('kyso-bridge serve');

    await ensureTlsMaterial(join(configDir, 'tls'));
    const nssdb = join(home, '.pki', 'nssdb');
    mkdirSync(nssdb, { recursive: true });
    expect(spawnSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']).status).toBe(0);
    const untrusted = tlsFindings(await doctor());
    expect(untrusted.find((f) => f.id === 'tls.valid')?.severity).toBe('info');
    const u = untrusted.find((f) => f.id === 'tls.untrusted.nss')!;
    expect(u.severity).toBe('warning');
    expect(u.message).toContain('chưa tin cậy');
    expect(u.fix).toContain('kyso-bridge trust install');

    await run(['trust', 'install']);
    const trusted = tlsFindings(await doctor());
    expect(trusted.map((f) => f.id).sort()).toEqual(['tls.trusted.nss', 'tls.valid']);
  });
});
