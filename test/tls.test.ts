// TLS material for the loopback server: real TLS handshakes trusting only the per-install CA.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTlsMaterial, type TlsMaterial } from '../src/transport/tls.js';

const DAY = 86_400_000;

function serve(m: TlsMaterial, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer({ cert: m.certPem, key: m.keyPem }, (_req, res) => res.end('ok'));
    s.on('error', reject);
    s.listen(0, host, () => resolve(s));
  });
}

function handshake(port: number, host: string, servername: string | undefined, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, ca, servername }, () => {
      const cn = sock.getPeerCertificate().subject?.CN;
      sock.end();
      resolve(String(cn));
    });
    sock.on('error', reject);
  });
}

describe('ensureTlsMaterial', () => {
  it('creates a CA and a loopback leaf that a client trusting only the CA accepts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kyso-tls-')), 'tls');
    const m = await ensureTlsMaterial(dir);
    expect(m.created).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'server.key', 'server.pem']);
    expect(statSync(m.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(m.caFile, 'utf8')).toBe(m.caPem);

    const server = await serve(m, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    try {
      // Name check against DNS SAN "localhost" and against IP SAN 127.0.0.1.
      expect(await handshake(port, '127.0.0.1', 'localhost', m.caPem)).toBe('localhost');
      expect(await handshake(port, '127.0.0.1', undefined, m.caPem)).toBe('localhost');
      expect(await fetchText(`https://127.0.0.1:${port}/`, m.caPem)).toBe('ok');
      // Another install's CA does not vouch for this leaf.
      const other = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'kyso-tls-other-')));
      await expect(handshake(port, '127.0.0.1', 'localhost', other.caPem)).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it('also serves ::1 when the machine has IPv6 loopback', async () => {
    const m = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'kyso-tls-')));
    const server = await serve(m, '::1').catch(() => undefined);
    if (!server || !server.listening) return; // no IPv6 here
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await handshake(port, '::1', undefined, m.caPem)).toBe('localhost');
    } finally {
      server.close();
    }
  });

  it('leaf: serverAuth, SANs, EC P-256, ~1 year; CA: CA flag, outlives the leaf; no CA key on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-tls-'));
    const m = await ensureTlsMaterial(dir);
    const leaf = new X509Certificate(m.certPem);
    const ca = new X509Certificate(m.caPem);
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.subjectAltName).toMatch(/IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const leafDays = (Date.parse(leaf.validTo) - Date.now()) / DAY;
    expect(leafDays).toBeGreaterThan(360);
    expect(leafDays).toBeLessThan(370);
    expect(Date.parse(ca.validTo)).toBeGreaterThan(Date.parse(leaf.validTo));
    expect(leaf.verify(ca.publicKey)).toBe(true);
    // Exactly one private key on disk, and it is the leaf's.
    const keys = readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes('PRIVATE KEY'));
    expect(keys).toEqual(['server.key']);
    expect(leaf.checkPrivateKey(createPrivateKey(m.keyPem))).toBe(true);
    expect(ca.checkPrivateKey(createPrivateKey(m.keyPem))).toBe(false);
  });

  it('concurrent first starts agree on one consistent set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-tls-'));
    const all = await Promise.all([ensureTlsMaterial(dir), ensureTlsMaterial(dir), ensureTlsMaterial(dir)]);
    expect(all.filter((m) => m.created)).toHaveLength(1);
    for (const m of all) expect(m.certPem).toBe(readFileSync(join(dir, 'server.pem'), 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'server.key', 'server.pem']);
  });

  it('reuses valid material, renews near expiry and when files are broken or missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-tls-'));
    const now = new Date();
    const first = await ensureTlsMaterial(dir, now);
    const again = await ensureTlsMaterial(dir, new Date(now.getTime() + 300 * DAY));
    expect(again.created).toBe(false);
    expect(again.certPem).toBe(first.certPem);

    const renewed = await ensureTlsMaterial(dir, new Date(now.getTime() + 340 * DAY)); // 25 days left
    expect(renewed.created).toBe(true);
    expect(renewed.caPem).not.toBe(first.caPem);
    expect(Date.parse(new X509Certificate(renewed.certPem).validTo)).toBeGreaterThan(now.getTime() + 700 * DAY);

    writeFileSync(renewed.certFile, 'garbage');
    const fixed = await ensureTlsMaterial(dir);
    expect(fixed.created).toBe(true);
    expect(new X509Certificate(readFileSync(fixed.certFile)).verify(new X509Certificate(fixed.caPem).publicKey)).toBe(true);

    chmodSync(fixed.keyFile, 0o644);
    const tightened = await ensureTlsMaterial(dir);
    expect(tightened.created).toBe(false);
    expect(statSync(fixed.keyFile).mode & 0o777).toBe(0o600);
  });
});

function fetchText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    import('node:https').then(({ get }) => {
      get(url, { ca }, (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    }, reject);
  });
}
