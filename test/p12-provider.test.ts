// The .p12/.pfx provider against files made by the real `openssl pkcs12 -export`: OpenSSL 3
// defaults, legacy (Windows-style 3DES/RC2) exports and clear certificates; every signature is
// checked by node:crypto over the original data.
import { createHash, X509Certificate, verify, constants } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { createLogger } from '../src/log.js';
import { isKysoError, type ErrorCode } from '../src/errors.js';
import type { Credential, DigestSignRequest, SignAlgorithm } from '../src/core/credentials.js';
import type { HashAlgorithm, TokenJson } from '../src/types.js';
import { HASH_LENGTH } from '../src/crypto/digests.js';
import { P12Provider } from '../src/p12/p12-provider.js';
import { p12TokenId } from '../src/p12/p12-token.js';

const PASSWORD = 'Mk-p12-2024';
const UTF8_PASSWORD = 'mật khẩu Đ';
const data = Buffer.from('Hợp đồng số 12/2024 — dữ liệu ký thử');
const hashOf = (alg: HashAlgorithm, d: Buffer = data) => createHash(alg.replace('-', '').toLowerCase()).update(d).digest();
const fixture = (name: string) => join(OUT_DIR, name);
const derOf = (pem: string) => new X509Certificate(readFileSync(fixture(pem))).raw;

interface FileSpec { name: string; key: string; cert: string; chain: string; args: string[]; password?: string }
const FILES: FileSpec[] = [
  { name: 'org-default.p12', key: 'leaf-org.key.pem', cert: 'leaf-org.pem', chain: 'ca-rsa.pem', args: [] },
  { name: 'org-legacy.pfx', key: 'leaf-org.key.pem', cert: 'leaf-org.pem', chain: 'ca-rsa.pem', args: ['-legacy'] },
  {
    name: 'person-legacy.p12', key: 'leaf-person.key.pem', cert: 'leaf-person.pem', chain: 'ca-ec.pem',
    args: ['-legacy', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-RC2-40', '-macalg', 'sha1'],
  },
  { name: 'person-clear.p12', key: 'leaf-person.key.pem', cert: 'leaf-person.pem', chain: 'ca-ec.pem', args: ['-certpbe', 'NONE'] },
  { name: 'ca-p384.p12', key: 'ca-ec.key.pem', cert: 'ca-ec.pem', chain: 'root-national.pem', args: [] },
  { name: 'person-utf8.p12', key: 'leaf-person.key.pem', cert: 'leaf-person.pem', chain: 'ca-ec.pem', args: [], password: UTF8_PASSWORD },
  { name: 'org-nomac.p12', key: 'leaf-org.key.pem', cert: 'leaf-org.pem', chain: 'ca-rsa.pem', args: ['-nomac'] },
  { name: 'org-mac-sha224.p12', key: 'leaf-org.key.pem', cert: 'leaf-org.pem', chain: 'ca-rsa.pem', args: ['-macalg', 'sha224'] },
];

function exportP12(dir: string, spec: FileSpec): string {
  const out = join(dir, spec.name);
  execFileSync('openssl', ['pkcs12', '-export', ...spec.args, '-inkey', fixture(spec.key), '-in', fixture(spec.cert),
    '-certfile', fixture(spec.chain), '-passout', `pass:${spec.password ?? PASSWORD}`, '-out', out]);
  return out;
}

/** An RSA-PSS key (id-RSASSA-PSS) and its self-signed certificate, as a default OpenSSL 3 export. */
function exportPssKeyP12(dir: string): string {
  const key = join(dir, 'pss.key.pem');
  const cert = join(dir, 'pss.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', '/CN=Khoa RSA-PSS', '-days', '30', '-out', cert]);
  const out = join(dir, 'pss-key.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-passout', `pass:${PASSWORD}`, '-out', out]);
  return out;
}

function opensslInfo(path: string, password = PASSWORD): string {
  // openssl prints the structure on stderr.
  const r = spawnSync('openssl', ['pkcs12', '-legacy', '-info', '-noout', '-in', path, '-passin', `pass:${password}`], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    caught = e;
  }
  expect(isKysoError(caught) ? caught.code : caught).toBe(code);
}

function verifies(cred: Credential, r: DigestSignRequest, signed: Buffer, sig: Buffer): boolean {
  const key = new X509Certificate(cred.certificate).publicKey;
  const nodeHash = r.hashAlgorithm.replace('-', '').toLowerCase();
  if (r.algorithm === 'ECDSA') return verify(nodeHash, signed, { key, dsaEncoding: 'ieee-p1363' }, sig);
  if (r.algorithm === 'RSA-PSS') {
    return verify(nodeHash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: r.saltLength ?? HASH_LENGTH[r.hashAlgorithm] }, sig);
  }
  return verify(nodeHash, signed, key, sig);
}

function request(algorithm: SignAlgorithm, hashAlgorithm: HashAlgorithm, saltLength?: number): DigestSignRequest {
  return { algorithm, hashAlgorithm, digest: hashOf(hashAlgorithm), saltLength };
}

describe('PKCS#12 file provider', () => {
  let dir: string;
  const paths: Record<string, string> = {};
  const logLines: string[] = [];
  const changes: TokenJson[][] = [];
  let provider: P12Provider;
  const idOf = (name: string) => p12TokenId(paths[name]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-p12-'));
    for (const spec of FILES) paths[spec.name] = exportP12(dir, spec);
    paths['pss-key.p12'] = exportPssKeyP12(dir);
    paths['corrupt.p12'] = join(dir, 'corrupt.p12');
    writeFileSync(paths['corrupt.p12'], readFileSync(paths['org-default.p12']).subarray(0, 200));
    paths['missing.p12'] = join(dir, 'missing.p12');
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } as never });
    provider = new P12Provider({ files: Object.values(paths), logger });
    provider.onChange((tokens) => changes.push(tokens));
    await provider.refresh();
  });
  afterAll(() => {
    provider.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the files really use the algorithms they stand for', () => {
    const modern = opensslInfo(paths['org-default.p12']);
    expect(modern).toMatch(/MAC: sha256/);
    expect(modern).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
    const legacy = opensslInfo(paths['person-legacy.p12']);
    expect(legacy).toMatch(/MAC: sha1/);
    expect(legacy).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    expect(legacy).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(opensslInfo(paths['org-legacy.pfx'])).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
  });

  it('lists one token per readable file; a missing or corrupt file is skipped and logged', () => {
    const tokens = provider.tokens();
    expect(tokens.map((t) => t.label).sort()).toEqual([...FILES.map((f) => f.name), 'pss-key.p12'].sort());
    const org = tokens.find((t) => t.label === 'org-default.p12')!;
    expect(org).toEqual({
      id: idOf('org-default.p12'), label: 'org-default.p12', manufacturer: 'PKCS#12', model: 'PKCS#12 file', serial: '',
      module: { path: paths['org-default.p12'], name: 'PKCS#12 file' },
      pin: { loginRequired: true, protectedAuthenticationPath: false, countLow: false, finalTry: false, locked: false, retriesLeft: null },
    });
    for (const t of tokens) {
      expect(t.id).toMatch(/^[0-9a-f]{16}$/);
      expect(provider.owns(t.id)).toBe(true);
      expect(provider.unlockMethod(t.id)).toBe('password');
    }
    const skipped = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'p12 file skipped').map((l) => l.file).sort();
    expect(skipped).toEqual([paths['corrupt.p12'], paths['missing.p12']].sort());
    expect(changes).toHaveLength(1);
  });

  it('an encrypted file is listed locked with no certificate; clear certificates list without a password', async () => {
    expect(provider.listable(idOf('org-default.p12'))).toBe(false);
    expect(await provider.credentials(idOf('org-default.p12'))).toEqual([]);
    expect(await provider.authorities(idOf('org-default.p12'))).toEqual([]);
    const clear = idOf('person-clear.p12');
    expect(provider.listable(clear)).toBe(true);
    const [cred] = await provider.credentials(clear);
    expect(cred.certificate.equals(derOf('leaf-person.pem'))).toBe(true);
    expect(cred.hasPrivateKey).toBe(true);
    expect((await provider.authorities(clear)).map((d) => d.toString('hex'))).toEqual([derOf('ca-ec.pem').toString('hex')]);
  });

  it('a wrong password is PIN_INCORRECT and changes nothing', async () => {
    const before = changes.length;
    for (const name of ['org-default.p12', 'org-legacy.pfx', 'person-legacy.p12', 'person-utf8.p12']) {
      await expectCode(provider.unlockForListing(idOf(name), { secret: 'wrong password' }), 'PIN_INCORRECT');
      expect(provider.listable(idOf(name))).toBe(false);
    }
    expect(changes.length).toBe(before);
  });

  it('without a MAC (openssl -nomac keeps certificates clear) a wrong password is still PIN_INCORRECT', async () => {
    const tokenId = idOf('org-nomac.p12');
    expect(provider.listable(tokenId)).toBe(true);
    const [cred] = await provider.credentials(tokenId);
    expect(cred.certificate.equals(derOf('leaf-org.pem'))).toBe(true);
    const r = request('RSASSA-PKCS1-v1_5', 'SHA-256');
    await expectCode(provider.sign(cred, [r], { authorization: { secret: 'wrong password' } }), 'PIN_INCORRECT');
    const [sig] = await provider.sign(cred, [r], { authorization: { secret: PASSWORD } });
    expect(verifies(cred, r, data, sig)).toBe(true);
  });

  it('a file forge cannot read (SHA-224 MAC) is DRIVER_ERROR, not a wrong password', async () => {
    await expectCode(provider.unlockForListing(idOf('org-mac-sha224.p12'), { secret: PASSWORD }), 'DRIVER_ERROR');
  });

  it('the right password lists the user certificate and the chain, and tells listeners', async () => {
    const cases = [
      ['org-default.p12', PASSWORD, 'leaf-org.pem', 'ca-rsa.pem', 'rsa'],
      ['org-legacy.pfx', PASSWORD, 'leaf-org.pem', 'ca-rsa.pem', 'rsa'],
      ['person-legacy.p12', PASSWORD, 'leaf-person.pem', 'ca-ec.pem', 'ec'],
      ['person-utf8.p12', UTF8_PASSWORD, 'leaf-person.pem', 'ca-ec.pem', 'ec'],
    ];
    for (const [name, password, leaf, ca, keyType] of cases) {
      const tokenId = idOf(name);
      const before = changes.length;
      await provider.unlockForListing(tokenId, { secret: password });
      expect(changes.length).toBe(before + 1);
      expect(provider.listable(tokenId)).toBe(true);
      expect(provider.isUnlocked(tokenId)).toBe(false);
      const creds = await provider.credentials(tokenId);
      expect(creds).toHaveLength(1);
      const sha256 = createHash('sha256').update(derOf(leaf)).digest('hex');
      expect(creds[0]).toMatchObject({ id: `${tokenId}-${sha256.slice(0, 16)}`, tokenId, sha256, keyType, hasPrivateKey: true });
      expect(creds[0].certificate.equals(derOf(leaf))).toBe(true);
      expect((await provider.authorities(tokenId)).map((d) => d.toString('hex'))).toEqual([derOf(ca).toString('hex')]);
      expect(await provider.find(creds[0].id)).toEqual(creds[0]);
      // Already listable: a second unlock changes nothing.
      await provider.unlockForListing(tokenId, { secret: password });
      expect(changes.length).toBe(before + 1);
    }
    await expectCode(provider.find(`${idOf('org-default.p12')}-0000000000000000`), 'CERTIFICATE_NOT_FOUND');
  });

  const SIGN_CASES: Array<[string, DigestSignRequest[]]> = [
    ['org-default.p12', [
      ...(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as HashAlgorithm[]).map((h) => request('RSASSA-PKCS1-v1_5', h)),
      request('RSA-PSS', 'SHA-256'), request('RSA-PSS', 'SHA-384'), request('RSA-PSS', 'SHA-512', 0), request('RSA-PSS', 'SHA-256', 20),
    ]],
    ['org-legacy.pfx', [request('RSASSA-PKCS1-v1_5', 'SHA-256'), request('RSA-PSS', 'SHA-256')]],
    ['person-legacy.p12', (['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as HashAlgorithm[]).map((h) => request('ECDSA', h))],
    ['ca-p384.p12', (['SHA-256', 'SHA-384', 'SHA-512'] as HashAlgorithm[]).map((h) => request('ECDSA', h))],
    ['pss-key.p12', [request('RSA-PSS', 'SHA-256'), request('RSA-PSS', 'SHA-512')]],
  ];
  for (const [name, requests] of SIGN_CASES) {
    it(`${name}: every digest signs with one password and node:crypto verifies it over the data`, async () => {
      const tokenId = idOf(name);
      await provider.unlockForListing(tokenId, { secret: PASSWORD });
      const [cred] = await provider.credentials(tokenId);
      const sigs = await provider.sign(cred, requests, { authorization: { secret: PASSWORD } });
      expect(sigs).toHaveLength(requests.length);
      requests.forEach((r, i) => {
        if (r.algorithm === 'ECDSA') expect(sigs[i].length).toBe(name.includes('p384') ? 96 : 64);
        expect(verifies(cred, r, data, sigs[i]), `${r.algorithm} ${r.hashAlgorithm}`).toBe(true);
        expect(verifies(cred, r, Buffer.from('other data'), sigs[i])).toBe(false);
      });
      expect(provider.isUnlocked(tokenId)).toBe(false);
    });
  }

  it('a signature can be the first thing that opens a file: its certificates then list', async () => {
    // Credential ids are stable across restarts: a fresh provider signs with one it has not listed yet.
    const [cred] = await provider.credentials(idOf('person-legacy.p12'));
    const fresh = new P12Provider({ files: [paths['person-legacy.p12']] });
    const seen: TokenJson[][] = [];
    fresh.onChange((tokens) => seen.push(tokens));
    await fresh.refresh();
    expect(fresh.listable(cred.tokenId)).toBe(false);
    const r = request('ECDSA', 'SHA-256');
    const [sig] = await fresh.sign(cred, [r], { authorization: { secret: PASSWORD } });
    expect(verifies(cred, r, data, sig)).toBe(true);
    expect(seen).toHaveLength(2);
    expect(await fresh.credentials(cred.tokenId)).toEqual([cred]);
    fresh.close();
  });

  it('a mismatched algorithm is MECHANISM_INVALID before the password is even tried', async () => {
    const [rsa] = await provider.credentials(idOf('org-default.p12'));
    const [ec] = await provider.credentials(idOf('person-legacy.p12'));
    await expectCode(provider.sign(rsa, [request('ECDSA', 'SHA-256')], { authorization: { secret: 'wrong' } }), 'MECHANISM_INVALID');
    await expectCode(provider.sign(ec, [request('RSA-PSS', 'SHA-256')], { authorization: { secret: 'wrong' } }), 'MECHANISM_INVALID');
    const [pss] = await provider.credentials(idOf('pss-key.p12'));
    expect(pss.keyType).toBe('rsa-pss');
    await expectCode(provider.sign(pss, [request('RSASSA-PKCS1-v1_5', 'SHA-256')], { authorization: { secret: PASSWORD } }), 'MECHANISM_INVALID');
  });

  it('a wrong password at signing is PIN_INCORRECT and leaves the file locked', async () => {
    const [rsa] = await provider.credentials(idOf('org-default.p12'));
    await expectCode(provider.sign(rsa, [request('RSASSA-PKCS1-v1_5', 'SHA-256')], { authorization: { secret: 'wrong' } }), 'PIN_INCORRECT');
    expect(provider.isUnlocked(rsa.tokenId)).toBe(false);
    await expectCode(provider.sign(rsa, [request('RSASSA-PKCS1-v1_5', 'SHA-256')]), 'INVALID_PARAMS');
  });

  it('keepUnlocked keeps the key for the next signature until lock()', async () => {
    const [rsa] = await provider.credentials(idOf('org-legacy.pfx'));
    const r = request('RSASSA-PKCS1-v1_5', 'SHA-256');
    await provider.sign(rsa, [r], { authorization: { secret: PASSWORD }, keepUnlocked: true });
    expect(provider.isUnlocked(rsa.tokenId)).toBe(true);
    const [again] = await provider.sign(rsa, [r], { keepUnlocked: true });
    expect(verifies(rsa, r, data, again)).toBe(true);
    await provider.lock(rsa.tokenId);
    expect(provider.isUnlocked(rsa.tokenId)).toBe(false);
    await expectCode(provider.sign(rsa, [r]), 'INVALID_PARAMS');
    // Without keepUnlocked a kept key is dropped after its signature.
    await provider.sign(rsa, [r], { authorization: { secret: PASSWORD }, keepUnlocked: true });
    await provider.sign(rsa, [r]);
    expect(provider.isUnlocked(rsa.tokenId)).toBe(false);
  });

  it('refresh() notices a file that goes, comes back and changes; close() drops kept keys', async () => {
    const name = 'org-default.p12';
    const tokenId = idOf(name);
    const [cred] = await provider.credentials(tokenId);
    await provider.sign(cred, [request('RSASSA-PKCS1-v1_5', 'SHA-256')], { authorization: { secret: PASSWORD }, keepUnlocked: true });
    const saved = join(dir, 'saved.bin');
    copyFileSync(paths[name], saved);
    unlinkSync(paths[name]);
    const before = changes.length;
    await provider.refresh();
    expect(changes.length).toBe(before + 1);
    expect(provider.owns(tokenId)).toBe(false);
    expect(provider.isUnlocked(tokenId)).toBe(false);
    await expectCode(provider.sign(cred, [request('RSASSA-PKCS1-v1_5', 'SHA-256')]), 'TOKEN_NOT_PRESENT');
    await expectCode(provider.credentials(tokenId), 'TOKEN_NOT_PRESENT');

    copyFileSync(saved, paths[name]);
    await provider.refresh();
    expect(changes.length).toBe(before + 2);
    expect(provider.listable(tokenId)).toBe(false);
    await provider.refresh();
    expect(changes.length).toBe(before + 2);

    // Other bytes at the same path: the token starts anew (here: a file with clear certificates).
    copyFileSync(paths['person-clear.p12'], paths[name]);
    await provider.refresh();
    expect(changes.length).toBe(before + 3);
    const [person] = await provider.credentials(tokenId);
    expect(person.keyType).toBe('ec');

    const [p384] = await provider.credentials(idOf('ca-p384.p12'));
    await provider.sign(p384, [request('ECDSA', 'SHA-384')], { authorization: { secret: PASSWORD }, keepUnlocked: true });
    expect(provider.isUnlocked(p384.tokenId)).toBe(true);
    provider.close();
    expect(provider.isUnlocked(p384.tokenId)).toBe(false);
  });

  it('no log line carries a password', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(UTF8_PASSWORD);
    }
  });
});
