// A daemon started by the systemd user manager before the desktop exported DISPLAY: dialogs read
// the user manager's environment at dialog time and find the graphical pinentry.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPinentry, resetSessionEnv, sessionEnv } from '../src/pin/discovery.js';

function fakeBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'kyso-session-'));
  writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\n[ "$1 $2" = "--user show-environment" ] || exit 2\nprintf "HOME=/elsewhere\\nDISPLAY=:7\\nXAUTHORITY=/run/user/1000/xauth\\nLANG=vi_VN.UTF-8\\n"\n');
  writeFileSync(join(bin, 'pinentry-gnome3'), '#!/bin/sh\nexit 0\n');
  for (const f of ['systemctl', 'pinentry-gnome3']) chmodSync(join(bin, f), 0o755);
  return bin;
}

describe('sessionEnv', () => {
  const bin = fakeBin();

  it('under systemd without a display: takes DISPLAY/XAUTHORITY from the user manager, nothing else', () => {
    resetSessionEnv();
    const env = { PATH: bin, HOME: '/home/an', INVOCATION_ID: 'abc' };
    const s = sessionEnv(env);
    expect(s).toMatchObject({ DISPLAY: ':7', XAUTHORITY: '/run/user/1000/xauth', HOME: '/home/an' });
    expect(s.LANG).toBeUndefined();
    expect(findPinentry(undefined, { env: s, ttyname: null })).toBe(join(bin, 'pinentry-gnome3'));
    expect(findPinentry(undefined, { env, ttyname: null })).toBeUndefined(); // what the daemon saw at start
  });

  it('leaves the environment alone with a display, or outside systemd', () => {
    const withDisplay = { PATH: bin, DISPLAY: ':0', INVOCATION_ID: 'abc' };
    expect(sessionEnv(withDisplay)).toBe(withDisplay);
    const plain = { PATH: bin };
    expect(sessionEnv(plain)).toBe(plain);
  });
});
