import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules, p11kitModules } from '../src/pkcs11/discovery.js';
import { RwQueue } from '../src/pkcs11/rw-queue.js';

const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

describe('module discovery', () => {
  it('explicit --module and KYSO_PKCS11_MODULES win, missing files included so the user sees why', () => {
    const found = discoverModules({ cliModules: ['/nope/a.so'], env: { KYSO_PKCS11_MODULES: `${SOFTHSM}:/nope/b.so` } });
    expect(found).toEqual([
      { path: '/nope/a.so', source: 'cli' }, { path: SOFTHSM, source: 'env' }, { path: '/nope/b.so', source: 'env' },
    ]);
  });

  it('reads p11-kit module registrations (absolute and bare names), honouring disable-in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p11kit-'));
    writeFileSync(join(dir, 'softhsm.module'), `module: ${SOFTHSM}\n`);
    writeFileSync(join(dir, 'opensc.module'), 'module: opensc-pkcs11.so\n');
    writeFileSync(join(dir, 'hidden.module'), `module: /x/hidden.so\ndisable-in: kyso-bridge\n`);
    writeFileSync(join(dir, 'notes.txt'), 'module: /x/not-a-module-file.so\n');
    const mods = p11kitModules([dir]);
    expect(mods).toContain(SOFTHSM);
    expect(mods).toContain('/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so');
    expect(mods.join()).not.toContain('hidden');
    expect(mods.join()).not.toContain('not-a-module-file');
  });

  it('without explicit modules merges config, p11-kit and the catalogue, keeping existing paths once', () => {
    const found = discoverModules({ env: {}, configModules: [SOFTHSM, '/nope/config.so'] });
    expect(found[0]).toEqual({ path: SOFTHSM, source: 'config' });
    expect(found.filter((f) => f.path === SOFTHSM)).toHaveLength(1);
    expect(found.some((f) => f.path.includes('/nope/'))).toBe(false);
    expect(found.some((f) => /p11-kit-(trust|proxy)/.test(f.path))).toBe(false);
    expect(found.some((f) => f.source === 'catalogue' || f.source === 'p11-kit')).toBe(true);
  });
});

describe('per-token queue', () => {
  it('runs shared jobs together up to the limit, exclusive jobs alone, in FIFO order', async () => {
    const q = new RwQueue(2);
    const log: string[] = [];
    let running = 0;
    let maxShared = 0;
    const job = (name: string, ms: number) => async () => {
      running++;
      maxShared = Math.max(maxShared, running);
      log.push(`start ${name} (${running})`);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      q.run('shared', job('s1', 20)), q.run('shared', job('s2', 20)), q.run('shared', job('s3', 5)),
      q.run('exclusive', job('x', 5)), q.run('shared', job('s4', 5)),
    ]);
    expect(results).toEqual(['s1', 's2', 's3', 'x', 's4']);
    expect(maxShared).toBe(2);
    expect(log).toContain('start x (1)');
    expect(log.indexOf('start x (1)')).toBeGreaterThan(log.indexOf('end s3'));
    expect(log.indexOf('start s4 (1)')).toBeGreaterThan(log.indexOf('end x'));
  });

  it('a throwing job rejects its caller and frees its place', async () => {
    const q = new RwQueue(1);
    await expect(q.run('exclusive', () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(q.run('shared', async () => 'after')).resolves.toBe('after');
  });
});
