// The vendor-compatible listeners (VGCA, VNPT-CA, BkavCA), each its own adapter on the vendor's
// fixed port, over the same core. A port someone else holds (the vendor's own plugin running) is
// logged with its holder and skipped: the daemon still starts.
import { BkavAdapter, BKAV_PORT } from '../adapters/bkav/adapter.js';
import type { ProtocolAdapter } from '../adapters/protocol-adapter.js';
import { VgcaAdapter, VGCA_PORT } from '../adapters/vgca/adapter.js';
import { VnptAdapter, VNPT_PATH, VNPT_PORT } from '../adapters/vnpt/adapter.js';
import type { BridgeService } from '../core/bridge-service.js';
import { portOwner } from '../doctor/port-probe.js';
import type { Lang } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import { startListener, type Listener } from '../transport/listener.js';

export const COMPAT_NAMES = ['vgca', 'vnpt', 'bkav'] as const;
export type CompatName = (typeof COMPAT_NAMES)[number];

interface CompatSpec { port: number; path: string; adapter(core: BridgeService, log: Logger): ProtocolAdapter }

export const COMPAT: Record<CompatName, CompatSpec> = {
  vgca: { port: VGCA_PORT, path: '/<Endpoint>', adapter: (c, l) => new VgcaAdapter(c, l) },
  vnpt: { port: VNPT_PORT, path: VNPT_PATH, adapter: (c, l) => new VnptAdapter(c, l) },
  bkav: { port: BKAV_PORT, path: '', adapter: (c, l) => new BkavAdapter(c, l) },
};

export interface CompatStatus {
  name: CompatName;
  port: number;
  /** Set when listening. */
  url?: string;
  /** Set when the port was taken: who holds it, when /proc tells. */
  skipped?: { reason: string; holder?: string };
}

export interface CompatOptions {
  core: BridgeService;
  names: readonly CompatName[];
  /** Other ports than the vendors' (tests: 0 = any free port). */
  ports?: Partial<Record<CompatName, number>>;
  tls?: { certPem: string; keyPem: string };
  allowLocalPrograms: boolean;
  lang: Lang;
  log: Logger;
}

/** `--compat vgca,bkav` / config `compat`: which to open; unknown names are an error. */
export function parseCompatNames(value: string | readonly string[] | boolean | undefined): CompatName[] {
  if (value === false) return [];
  if (value === undefined || value === true) return [...COMPAT_NAMES];
  const list = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = list.filter((n) => !(COMPAT_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown compatibility endpoint ${unknown.join(', ')} (known: ${COMPAT_NAMES.join(', ')})`);
  return [...new Set(list)] as CompatName[];
}

export async function startCompatListeners(o: CompatOptions): Promise<{ listeners: Listener[]; status: CompatStatus[] }> {
  const listeners: Listener[] = [];
  const status: CompatStatus[] = [];
  for (const name of o.names) {
    const spec = COMPAT[name];
    const port = o.ports?.[name] ?? spec.port;
    try {
      const l = await startListener({ host: '127.0.0.1', port, tls: o.tls, adapter: spec.adapter(o.core, o.log), allowLocalPrograms: o.allowLocalPrograms, lang: o.lang, log: o.log });
      listeners.push(l);
      status.push({ name, port: l.port, url: `${l.url}${spec.path}` });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      const holder = code === 'EADDRINUSE' ? portOwner(port) : undefined;
      o.log.warn({ listener: name, port, reason: code, holder }, 'compatibility endpoint skipped: port not available');
      status.push({ name, port, skipped: { reason: code, holder } });
    }
  }
  return { listeners, status };
}

/** `compat:vgca`…: what bridge.info says is up. */
export function compatFeatures(status: CompatStatus[]): string[] {
  return status.filter((s) => s.url).map((s) => `compat:${s.name}`);
}
