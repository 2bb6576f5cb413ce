// Consent and PIN dialogs through pinentry (GnuPG's dialog program, Assuan protocol).
export { PinentryDialogs, DEFAULT_DIALOG_TIMEOUT_MS, type PinentryDialogsOptions, type DialogCallOptions } from './dialogs.js';
export { findPinentry, controllingTty, hasDisplay, isTerminalPinentry } from './discovery.js';
export { AssuanClient, AssuanError, missingPinentry, type AssuanReply } from './assuan.js';
export { assuanEscape, assuanUnescape, assuanCommandLine, ASSUAN_MAX_LINE } from './escape.js';
export {
  consentTexts, pinTexts, originTexts, pinErrorText, chooseTexts,
  type ConsentRequest, type ConsentCertificate, type PinRequest, type PinError, type DialogTexts, type ChooseCertificateRequest,
} from './texts.js';
