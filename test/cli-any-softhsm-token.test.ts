// `tokens --json` / `certs --json` against a SoftHSM token made by the standard tools, not by
// our provisioning: softhsm2-util for the token and key, pkcs11-tool (OpenSC) for the cert.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSoftHsmModule } from '../certs-fixtures/softhsm.js';
import { CLI } from './support/daemon.js';

describe('the CLI on any SoftHSM token', () => {
  it('lists the token and parses UID=MST/CCCD/CMND from a certificate it never saw', () => {
    const module = findSoftHsmModule()!;
    const dir = mkdtempSync(join(tmpdir(), 'kyso-any-'));
    const conf = join(dir, 'softhsm2.conf');
    writeFileSync(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\n`);
    const env = { ...process.env, SOFTHSM2_CONF: conf };
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run('softhsm2-util', ['--init-token', '--free', '--label', 'Token Bat Ky', '--so-pin', '87654321', '--pin', '24682468']);
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-utf8',
      '-subj', '/C=VN/O=Hợp tác xã Thử/CN=Phạm Thị Thu/UID=MST:0312345678-002/UID=CMND:123456789',
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation']);
    run('openssl', ['x509', '-in', join(dir, 'c.pem'), '-outform', 'der', '-out', join(dir, 'c.der')]);
    run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'k.pem'), '-out', join(dir, 'k8.pem')]);
    run('softhsm2-util', ['--import', join(dir, 'k8.pem'), '--token', 'Token Bat Ky', '--label', 'khoa', '--id', 'a1b2', '--pin', '24682468']);
    run('pkcs11-tool', ['--module', module, '--token-label', 'Token Bat Ky', '--login', '--pin', '24682468', '--write-object', join(dir, 'c.der'), '--type', 'cert', '--id', 'a1b2', '--label', 'chung-thu']);

    const tokens = JSON.parse(run(process.execPath, [CLI, 'tokens', '--json', '--module', module]));
    expect(tokens).toEqual([expect.objectContaining({
      label: 'Token Bat Ky', manufacturer: 'SoftHSM project', module: { path: module, name: expect.any(String) },
      pin: { loginRequired: true, protectedAuthenticationPath: false, countLow: false, finalTry: false, locked: false, retriesLeft: null },
    })]);
    expect(tokens[0].id).toMatch(/^[0-9a-f]{16}$/);

    const certs = JSON.parse(run(process.execPath, [CLI, 'certs', '--json', '--module', module, '--revocation', 'off', '--trust-anchor', join(dir, 'c.pem')]));
    expect(certs).toHaveLength(1);
    const c = certs[0];
    expect(c).toMatchObject({
      tokenId: tokens[0].id, label: 'chung-thu', keyAlgorithm: 'RSA-2048', hasPrivateKey: true,
      identity: { commonName: 'Phạm Thị Thu', organization: 'Hợp tác xã Thử', taxCode: '0312345678-002', legacyId: '123456789' },
    });
    expect(c.subject).toContain('UID=MST:0312345678-002');
    expect(c.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(Buffer.from(c.certificate, 'base64').length).toBeGreaterThan(500);
    expect(new Date(c.notAfter).getTime()).toBeGreaterThan(Date.now());
    expect(c.status).toMatchObject({ ok: true, code: 'VALID' });
  });
});
