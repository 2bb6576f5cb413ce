// What the core needs from a dialog provider. PinentryDialogs implements it; a future
// Windows/macOS native provider or a cloud-signing confirmation can too.
import type { ConsentCertificate, ConsentRequest, PinRequest } from '../pin/texts.js';

export interface DialogOptions { signal?: AbortSignal }

export interface Dialogs {
  confirm(req: ConsentRequest, opts?: DialogOptions): Promise<void>;
  getPin(req: PinRequest, opts?: DialogOptions): Promise<string>;
  confirmOrigin(origin: string, opts?: DialogOptions): Promise<boolean>;
  /** The user picks one of several certificates (and so consents); returns its index. */
  chooseCertificate(req: { origin: string; purpose: ConsentRequest['purpose']; certificates: ConsentCertificate[] }, opts?: DialogOptions): Promise<number>;
}
