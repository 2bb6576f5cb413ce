// What the core needs from a dialog provider, and what it tells it. PinentryDialogs implements
// it; a future Windows/macOS native provider or a cloud-signing confirmation can too.
import type { DocumentFacts } from '../documents/index.js';

export interface DialogOptions { signal?: AbortSignal }

/** The certificate as the user recognises it in a dialog. */
export interface ConsentCertificate {
  name: string;
  taxCode?: string;
  citizenId?: string;
  legacyId?: string;
  caName: string;
  /** ISO 8601. */
  validUntil: string;
}

export interface ConsentRequest {
  origin: string;
  purpose: 'auth' | 'sign-hash' | 'sign-document';
  certificate: ConsentCertificate;
  hashAlgorithm?: string;
  hashHex?: string;
  /** sign-document: what the user is about to sign, as the bridge read it. */
  document?: { name: string; facts: DocumentFacts };
}

export interface PinError {
  kind: 'incorrect' | 'count-low' | 'final-try';
  retriesLeft?: number | null;
}

export interface PinRequest {
  tokenLabel: string;
  certificateName: string;
  origin: string;
  /** A token PIN (default) or a certificate file's password. */
  secretKind?: 'pin' | 'password';
  error?: PinError;
}

export interface ChoosableCertificate extends ConsentCertificate {
  /** Why it cannot be used (expired on …, not trusted…): shown, but it cannot be picked. */
  unusable?: { vi: string; en: string };
}

export interface ChooseCertificateRequest {
  origin: string;
  purpose: ConsentRequest['purpose'];
  certificates: ChoosableCertificate[];
  /** The page shown first: the page's audience or the origin's last choice. */
  start?: number;
}

export interface Dialogs {
  confirm(req: ConsentRequest, opts?: DialogOptions): Promise<void>;
  /** A token's PIN or a certificate file's password; never logged or kept by the caller. */
  getPin(req: PinRequest, opts?: DialogOptions): Promise<string>;
  /** The first consent: login + sign-documents for this origin. */
  confirmOrigin(origin: string, opts?: DialogOptions): Promise<boolean>;
  /** The warned grant to sign data the user cannot see. */
  confirmRawSigning(origin: string, opts?: DialogOptions): Promise<boolean>;
  /** The user picks one of several certificates (and so consents); returns its index. */
  chooseCertificate(req: ChooseCertificateRequest, opts?: DialogOptions): Promise<number>;
}
