// The driver catalogue: bundled data validates, covers the reference facts, user entries win.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  activeCatalogue, bundledCataloguePath, configureCatalogue, entryModulePaths, loadCatalogue,
  matchUsbDevice, moduleCandidatePaths, moduleCandidates,
} from '../src/hardware/catalogue.js';
import { catalogueJsonSchema } from '../src/hardware/catalogue-schema.js';
import { isKysoError } from '../src/errors.js';

const REFERENCE = readFileSync('/work/shared/reference/vietnam-pki-and-plugins.md', 'utf8');
const tokensSection = REFERENCE.slice(REFERENCE.indexOf('## 2. Tokens and drivers'), REFERENCE.indexOf('## 3.'));

describe('bundled catalogue', () => {
  const entries = loadCatalogue();

  it('validates and has unique ids', () => {
    expect(entries.length).toBeGreaterThan(15);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('ships a JSON Schema in sync with the zod schema', () => {
    const onDisk = JSON.parse(readFileSync('native-drivers/catalogue.schema.json', 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(catalogueJsonSchema())));
    expect(JSON.parse(readFileSync(bundledCataloguePath(), 'utf8')).$schema).toBe('./catalogue.schema.json');
  });

  it('covers the token families and CA brands', () => {
    const ids = entries.map((e) => e.id);
    for (const id of ['feitian-epass2003', 'safenet-etoken', 'bit4id', 'watchdata', 'gemalto-idprime', 'opensc', 'softhsm',
      'vnpt-ca', 'viettel-ca', 'fpt-ca', 'bkavca', 'ca2-nacencomm', 'vina-ca', 'safe-ca', 'newtel-ca', 'efy-ca', 'misa-ca', 'fastca', 'ban-co-yeu']) {
      expect(ids).toContain(id);
    }
    for (const e of entries) {
      expect(e.installHint.vi).not.toBe(e.installHint.en);
      for (const f of e.tokenFamilies ?? []) expect(ids).toContain(f);
    }
  });

  it('knows every USB id of the reference', () => {
    const known = new Set(entries.flatMap((e) => e.usb.map((u) => `${u.vid}:${u.pid}`.toLowerCase())));
    const ids: string[] = [];
    // "096E:0807", "08E6:34CC / 34CF / 34D2", "25DD:1201 / 2341 / …": vendor, then products.
    for (const m of tokensSection.matchAll(/\b([0-9A-F]{4}):([0-9A-F]{4})((?:\s*\/\s*[0-9A-F]{4})*)/g)) {
      for (const pid of [m[2], ...m[3].split('/').map((s) => s.trim()).filter(Boolean)]) ids.push(`${m[1]}:${pid}`.toLowerCase());
    }
    expect(ids.length).toBeGreaterThanOrEqual(17);
    for (const id of ids) expect(known, id).toContain(id);
  });

  it('knows every module file name of the reference', () => {
    const files = new Set(entries.flatMap((e) => ['linux', 'darwin', 'win32'].flatMap((os) => entryModulePaths(e, os)))
      .map((p) => p.split(/[\\/]/).pop()!.toLowerCase()));
    const named = [...tokensSection.matchAll(/`([^`\s]+\.(?:dll|so(?:\.[\d.]+)?|dylib))`/g)].flatMap(([, name]) => {
      if (name.startsWith('_')) return []; // "viettel-ca_v6.dll … `_v2.dll`": a range, the ends are named
      const range = /^([^/]+_)(v\d+(?:\/v\d+)+)(\.dll)$/.exec(name); // vina-ca_v1/v3/v5.dll
      if (range) return range[2].split('/').map((v) => `${range[1]}${v}${range[3]}`.toLowerCase());
      const span = /^(.+_v)(\d+)…v(\d+)(\.dll)$/.exec(name); // fptca_v3…v6.dll
      if (span) {
        const out: string[] = [];
        for (let v = Number(span[2]); v <= Number(span[3]); v++) out.push(`${span[1]}${v}${span[4]}`.toLowerCase());
        return out;
      }
      return [name.split('/').pop()!.toLowerCase()];
    });
    expect(named.length).toBeGreaterThan(15);
    for (const f of named) expect(files, f).toContain(f);
  });

  it('lists candidate module paths per OS', () => {
    const linux = moduleCandidatePaths('linux');
    expect(linux).toContain('/usr/lib/softhsm/libsofthsm2.so');
    expect(linux).toContain('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so');
    expect(linux).toContain('/usr/lib/libcastle.so.1.0.0');
    expect(linux).toContain('/usr/lib/fptca_v4.so');
    expect(linux.every((p) => p.startsWith('/'))).toBe(true);
    expect(new Set(linux).size).toBe(linux.length);
    const win = moduleCandidatePaths('win32');
    expect(win).toContain('C:\\Windows\\System32\\eps2003csp11.dll');
    expect(win).toContain('C:\\Windows\\System32\\vnptca_p11_v6.dll');
    expect(win.some((p) => p.includes('/'))).toBe(false);
    const mac = moduleCandidatePaths('darwin');
    expect(mac).toContain('/Library/vnpt-ca/lib/libcryptoki.dylib');
    expect(mac).toContain('/usr/local/lib/libeTPkcs11.dylib');
    expect(moduleCandidatePaths('aix')).toEqual([]);
    expect(moduleCandidates('linux').find((c) => c.path === '/usr/lib/softhsm/libsofthsm2.so')).toEqual({
      path: '/usr/lib/softhsm/libsofthsm2.so', entryId: 'softhsm', kind: 'software',
    });
  });

  it('matches USB ids to the family first, then the brands shipping it', () => {
    const ep = matchUsbDevice('096E', 0x0807).map((e) => e.id);
    expect(ep[0]).toBe('feitian-epass2003');
    expect(ep).toEqual(expect.arrayContaining(['vnpt-ca', 'viettel-ca', 'fpt-ca']));
    expect(matchUsbDevice('0x0529', '0620').map((e) => e.id)).toEqual(['safenet-etoken', 'ban-co-yeu']);
    expect(matchUsbDevice('08e6', '3438').map((e) => e.id)).toEqual(['gemalto-idprime']);
    expect(matchUsbDevice('046d', 'c077')).toEqual([]);
  });
});

describe('user entries', () => {
  const custom = {
    id: 'acme-token', kind: 'token', name: 'ACME token', vendor: 'ACME', products: ['ACME Key'],
    usb: [{ vid: '1234', pid: 'ABCD' }],
    modules: { linux: { files: ['libacme.so'], dirs: ['/opt/acme/lib'] }, darwin: { files: [], dirs: [] }, win32: { files: ['acme.dll'], dirs: [] } },
    cas: [], installHint: { vi: 'Cài driver ACME.', en: 'Install the ACME driver.' }, downloadUrl: 'https://acme.example/', confirmed: false,
  };

  it('come first and replace bundled entries with the same id', () => {
    const override = { ...custom, id: 'softhsm', usb: [], modules: { ...custom.modules, linux: { files: ['/opt/softhsm/lib/libsofthsm2.so'], dirs: [] } } };
    const entries = loadCatalogue([custom, override]);
    expect(entries[0].id).toBe('acme-token');
    expect(entries.filter((e) => e.id === 'softhsm')).toHaveLength(1);
    const linux = moduleCandidatePaths('linux', entries);
    expect(linux[0]).toBe('/opt/acme/lib/libacme.so');
    expect(linux).toContain('/opt/softhsm/lib/libsofthsm2.so');
    expect(linux).not.toContain('/usr/lib/softhsm/libsofthsm2.so');
    expect(moduleCandidatePaths('win32', entries)).toContain('acme.dll'); // no dir known: bare name
    expect(matchUsbDevice('1234', 'abcd', entries).map((e) => e.id)).toEqual(['acme-token']);
  });

  it('need only id, name and modules; the rest gets neutral defaults', () => {
    const [entry] = loadCatalogue([{ id: 'my-module', name: 'My module', modules: { linux: { files: ['/opt/x/libx.so'] } } }]);
    expect(entry).toMatchObject({
      id: 'my-module', kind: 'token', usb: [], cas: [], confirmed: false,
      modules: { linux: { files: ['/opt/x/libx.so'], dirs: [] }, darwin: { files: [], dirs: [] }, win32: { files: [], dirs: [] } },
    });
    expect(entry.installHint.vi).toMatch(/driver/);
    expect(() => loadCatalogue([{ id: 'x', name: 'X' }])).toThrow(/modules/);
  });

  it('configureCatalogue makes them the default for later lookups', () => {
    try {
      configureCatalogue([custom]);
      expect(moduleCandidatePaths('linux')).toContain('/opt/acme/lib/libacme.so');
      expect(activeCatalogue()[0].id).toBe('acme-token');
    } finally {
      configureCatalogue([]);
    }
    expect(moduleCandidatePaths('linux')).not.toContain('/opt/acme/lib/libacme.so');
  });

  it('are validated: a bad one fails with INVALID_PARAMS naming the field', () => {
    const bad = { ...custom, usb: [{ vid: '12345', pid: 'ab' }] };
    let err: unknown;
    try { loadCatalogue([bad]); } catch (e) { err = e; }
    expect(isKysoError(err, 'INVALID_PARAMS')).toBe(true);
    expect((err as Error).message).toMatch(/usb\.0\.vid/);
    expect(() => loadCatalogue([{ ...custom, extra: 1 }])).toThrow(/extra/);
    expect(() => loadCatalogue([custom, custom])).toThrow(/duplicate/);
  });
});
