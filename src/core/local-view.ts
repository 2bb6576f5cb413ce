// The machine's own user's view of tokens and certificates when no daemon runs (the CLI, doctor):
// the same providers, validation and certificate view as the daemon, with no grants and no
// dialogs — a locked certificate file stays closed.
import type { ValidateOptions } from '../certs/index.js';
import { KysoError } from '../errors.js';
import type { TokenJson } from '../types.js';
import { CertificateChooser, type CertificateWithStatus } from './certificate-chooser.js';
import { CredentialRegistry } from './credential-registry.js';
import type { CredentialProvider } from './credentials.js';
import type { Dialogs } from './dialogs.js';

const refuse = async (): Promise<never> => { throw new KysoError('INTERNAL', {}, 'the local view shows no dialog'); };
const NO_DIALOGS: Dialogs = { confirm: refuse, getPin: refuse, confirmOrigin: refuse, confirmRawSigning: refuse, chooseCertificate: refuse };

export interface LocalView {
  tokens(): Promise<TokenJson[]>;
  certificates(lang?: 'vi' | 'en'): Promise<CertificateWithStatus[]>;
  close(): Promise<void>;
}

export function openLocalView(providers: CredentialProvider[], validation: Omit<ValidateOptions, 'purpose' | 'intermediates' | 'at'>): LocalView {
  const credentials = new CredentialRegistry(providers);
  const chooser = new CertificateChooser(credentials, NO_DIALOGS, validation);
  return {
    tokens: async () => { await credentials.refresh(); return credentials.tokens(); },
    certificates: (lang) => chooser.describeListable(lang),
    close: () => credentials.close(),
  };
}
