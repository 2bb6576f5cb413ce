// An in-process core over SoftHSM tokens, for tests that drive BridgeService directly.
import { BridgeService } from '../../src/core/bridge-service.js';
import { CredentialRegistry } from '../../src/core/credential-registry.js';
import type { CredentialProvider } from '../../src/core/credentials.js';
import type { Dialogs } from '../../src/core/dialogs.js';
import { GrantPolicy, type Grant, type GrantDecision, type GrantStore } from '../../src/core/grants.js';
import { PinCache } from '../../src/core/pin-cache.js';
import type { ValidateOptions } from '../../src/certs/index.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { Pkcs11Provider } from '../../src/pkcs11/pkcs11-provider.js';
import type { TokenManager } from '../../src/pkcs11/token-manager.js';

/** Grant decisions in memory (the daemon keeps them in SQLite). */
export class MemoryGrantStore implements GrantStore {
  readonly rows = new Map<string, GrantDecision>();
  get(origin: string, grant: Grant): GrantDecision | undefined {
    return this.rows.get(`${origin} ${grant}`);
  }
  set(origin: string, grants: readonly Grant[], decision: GrantDecision['decision'], source: GrantDecision['source']): void {
    for (const g of grants) this.rows.set(`${origin} ${g}`, { decision, source, updatedAt: new Date().toISOString() });
  }
}

export interface TestCoreOptions {
  manager?: TokenManager;
  providers?: CredentialProvider[];
  dialogs: Dialogs;
  pinCacheMs?: number;
  allowOrigins?: string[];
  rawSigningOrigins?: string[];
  validation: Omit<ValidateOptions, 'purpose' | 'intermediates' | 'at'>;
  log?: Logger;
}

export function testCore(o: TestCoreOptions): { core: BridgeService; grants: MemoryGrantStore; credentials: CredentialRegistry } {
  const providers = o.providers ?? [new Pkcs11Provider(o.manager!)];
  const credentials = new CredentialRegistry(providers);
  const grants = new MemoryGrantStore();
  const core = new BridgeService({
    credentials, dialogs: o.dialogs, pinCache: new PinCache(o.pinCacheMs ?? 0), log: o.log ?? silentLogger, validation: o.validation,
    grants: new GrantPolicy({ store: grants, dialogs: o.dialogs, builtin: [], allowOrigins: o.allowOrigins ?? [], rawSigningOrigins: o.rawSigningOrigins ?? [] }),
  });
  return { core, grants, credentials };
}
