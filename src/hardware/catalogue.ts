// Driver catalogue: which PKCS#11 module drives which token, where it lives per OS, and what to
// tell the user when it is missing. The bundled data is native-drivers/catalogue.json; user
// entries from the config are validated the same way and win over bundled ones with the same id.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { KysoError } from '../errors.js';
import {
  CatalogueSchema, PLATFORMS, UserCatalogueEntrySchema,
  type CatalogueEntry, type CataloguePlatform,
} from './catalogue-schema.js';

export type { CatalogueEntry, CataloguePlatform } from './catalogue-schema.js';

const CATALOGUE_REL = join('native-drivers', 'catalogue.json');

/** Finds the bundled file from src/hardware (tsx, vitest) or dist/src/hardware (built). */
export function bundledCataloguePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, CATALOGUE_REL);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new KysoError('INTERNAL', {}, `driver catalogue ${CATALOGUE_REL} not found`);
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

let bundledCache: CatalogueEntry[] | undefined;

function loadBundled(): CatalogueEntry[] {
  if (bundledCache) return bundledCache;
  const file = bundledCataloguePath();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KysoError('INTERNAL', {}, `driver catalogue ${file}: ${(e as Error).message}`);
  }
  const parsed = CatalogueSchema.safeParse(raw);
  if (!parsed.success) throw new KysoError('INTERNAL', {}, `driver catalogue ${file}: ${issues(parsed.error)}`);
  assertUniqueIds(parsed.data.entries, file);
  bundledCache = parsed.data.entries;
  return bundledCache;
}

function assertUniqueIds(entries: CatalogueEntry[], where: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) throw new KysoError('INTERNAL', {}, `${where}: duplicate entry id ${e.id}`);
    seen.add(e.id);
  }
}

/**
 * Bundled catalogue merged with the user's entries (validated; a bad one throws INVALID_PARAMS
 * naming it). User entries come first and replace bundled entries with the same id.
 */
export function loadCatalogue(userEntries: unknown[] = []): CatalogueEntry[] {
  const user = userEntries.map((raw, i) => {
    const parsed = UserCatalogueEntrySchema.safeParse(raw);
    if (!parsed.success) {
      throw new KysoError('INVALID_PARAMS', { catalogueEntry: i }, `driver catalogue entry #${i}: ${issues(parsed.error)}`);
    }
    return parsed.data;
  });
  assertUniqueIds(user, 'user driver catalogue');
  const ids = new Set(user.map((e) => e.id));
  return [...user, ...loadBundled().filter((e) => !ids.has(e.id))];
}

// The catalogue the no-argument helpers use; configureCatalogue() swaps in the config's entries.
let active: CatalogueEntry[] | undefined;

/** Makes the user's entries (from the config) part of every later lookup. */
export function configureCatalogue(userEntries: unknown[] = []): CatalogueEntry[] {
  active = loadCatalogue(userEntries);
  return active;
}

export function activeCatalogue(): CatalogueEntry[] {
  active ??= loadCatalogue();
  return active;
}

export function findCatalogueEntry(id: string, entries = activeCatalogue()): CatalogueEntry | undefined {
  return entries.find((e) => e.id === id);
}

function asPlatform(platform: string): CataloguePlatform | undefined {
  return (PLATFORMS as readonly string[]).includes(platform) ? (platform as CataloguePlatform) : undefined;
}

/** One entry's module paths for an OS: absolute files as they are, bare names in each dir. */
export function entryModulePaths(entry: CatalogueEntry, platform: string = process.platform): string[] {
  const os = asPlatform(platform);
  if (!os) return [];
  const path = os === 'win32' ? win32 : posix;
  const { files, dirs } = entry.modules[os];
  const out: string[] = [];
  for (const file of files) {
    if (path.isAbsolute(file) || dirs.length === 0) out.push(file);
    else for (const dir of dirs) out.push(path.join(dir, file));
  }
  return out;
}

/**
 * Every module path the catalogue knows for an OS, in catalogue order (user entries first),
 * without duplicates. Absolute where the catalogue knows a directory; a bare file name
 * otherwise (the loader's search path applies). Callers check which exist.
 */
export function moduleCandidatePaths(platform: string = process.platform, entries = activeCatalogue()): string[] {
  return moduleCandidates(platform, entries).map((c) => c.path);
}

export interface ModuleCandidateInfo { path: string; entryId: string; kind: CatalogueEntry['kind'] }

/** moduleCandidatePaths() with where each path comes from (e.g. to skip SoftHSM in production). */
export function moduleCandidates(platform: string = process.platform, entries = activeCatalogue()): ModuleCandidateInfo[] {
  const seen = new Set<string>();
  const out: ModuleCandidateInfo[] = [];
  for (const entry of entries) {
    for (const path of entryModulePaths(entry, platform)) {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ path, entryId: entry.id, kind: entry.kind });
    }
  }
  return out;
}

/** "096E", "0x096e", 0x096e → "096e". */
export function normalizeUsbId(id: string | number): string {
  const s = typeof id === 'number' ? id.toString(16) : id.trim().toLowerCase().replace(/^0x/, '');
  return s.padStart(4, '0');
}

/**
 * Catalogue entries for a USB device: the token families with that VID:PID first, then the CA
 * brands that ship one of those families and the generic middleware (OpenSC) that drives one —
 * both list it in tokenFamilies. Empty if unknown.
 */
export function matchUsbDevice(vid: string | number, pid: string | number, entries = activeCatalogue()): CatalogueEntry[] {
  const v = normalizeUsbId(vid);
  const p = normalizeUsbId(pid);
  const families = entries.filter((e) => e.usb.some((u) => u.vid.toLowerCase() === v && u.pid.toLowerCase() === p));
  const familyIds = new Set(families.map((e) => e.id));
  const brands = entries.filter((e) => !familyIds.has(e.id) && e.tokenFamilies?.some((f) => familyIds.has(f)));
  return [...families, ...brands];
}
