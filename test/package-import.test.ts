// The package as npm ships it: packed, unpacked into a fresh node_modules, imported by name.
// Its dependencies are linked from this checkout (no registry access in tests).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe("import('kyso-bridge') from a packed install", () => {
  it('exposes the daemon, the core seams, the errors and the verifier; the subpaths resolve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-pack-'));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const pkgDir = join(dir, 'node_modules', 'kyso-bridge');
    mkdirSync(pkgDir, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, out), '-C', pkgDir, '--strip-components=1']);
    symlinkSync(resolve('node_modules'), join(pkgDir, 'node_modules'));
    expect(readdirSync(pkgDir)).toEqual(expect.arrayContaining(['dist', 'package.json']));
    const script = `
      const k = await import('kyso-bridge');
      const portal = await import('kyso-bridge/portal');
      const client = await import('kyso-bridge/client');
      console.log(JSON.stringify({
        startBridge: typeof k.startBridge, BridgeService: typeof k.BridgeService, KysoError: typeof k.KysoError,
        code: new k.KysoError('PIN_LOCKED').code, grants: k.GRANTS, validate: typeof k.validateCertificate,
        verify: typeof k.portal.verifyAuthToken, samePortal: k.portal.verifyAuthToken === portal.verifyAuthToken,
        client: typeof client.authenticate, version: k.VERSION,
      }));`;
    const r = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }));
    expect(r).toEqual({
      startBridge: 'function', BridgeService: 'function', KysoError: 'function', code: 'PIN_LOCKED',
      grants: ['login', 'sign-documents', 'sign-raw'], validate: 'function', verify: 'function', samePortal: true,
      client: 'function', version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });
});
