// The VNPT-CA function table: functionID → a call onto the one core, and how its result and its
// failures are written (JSON `{code, data, error}`, a bare code, or getCertInfo's shape).
import type { BridgeService, CallContext, CertificateWithStatus } from '../../core/bridge-service.js';
import { KysoError, isKysoError } from '../../errors.js';
import type { Lang } from '../../i18n/messages.js';
import { VERSION } from '../../version.js';
import { certificateBySerial, commonNames, parsePageTime } from '../compat/certificates.js';
import { fromBase64, hashByLength } from '../compat/hashes.js';
import { argString, jsonResult, type VnptRequest } from './codec.js';
import { parseItems, signItems } from './items.js';
import { optionSerial, parseOptions, pdfOptions, xmlOptions } from './options.js';
import { CHECK_CODE, checkCodeOf, message, signError, signOk } from './results.js';

export interface VnptCall { core: BridgeService; ctx: CallContext & { lang: Lang }; args: VnptRequest['args'] }

export interface VnptFunction {
  name: string;
  run(c: VnptCall): Promise<string>;
  /** The answer when the call fails or is refused (spoofed domain included). */
  fail(e: unknown, lang: Lang): string;
}

const jsonFail = (e: unknown, lang: Lang) => signError(e, lang);
const codeFail = (e: unknown) => checkCodeOf(e);

function certJson(c: CertificateWithStatus): Record<string, string> {
  return { serial: c.serialNumber, ...commonNames(c.certificate), notBefore: c.notBefore, notAfter: c.notAfter, base64: c.certificate };
}

/** The certificate a call names by serial, else the user's pick (grant login either way). */
async function certificateFor(c: VnptCall, serial: string | undefined): Promise<CertificateWithStatus> {
  return serial && serial !== '0' ? certificateBySerial(c.core, c.ctx, serial) : c.core.pickCertificate(c.ctx);
}

async function signOne(c: VnptCall, format: 'cms' | 'xmldsig' | 'pades', name: string): Promise<string> {
  const opts = parseOptions(c.args?.[1]);
  const serial = optionSerial(opts);
  const certificateId = serial ? (await certificateBySerial(c.core, c.ctx, serial)).id : undefined;
  const options = format === 'xmldsig' ? xmlOptions(opts) : format === 'pades' ? pdfOptions(opts) : { cms: { detached: false } };
  const content = fromBase64(argString(c.args, 0), 'args.0', c.core.maxDocumentBytes);
  const r = await c.core.signDocument(c.ctx, { certificateId, format, profile: format === 'xmldsig' ? 'generic' : undefined, content, name, options });
  return signOk(r.content.toString('base64'));
}

async function signList(c: VnptCall): Promise<string> {
  const items = parseItems(argString(c.args, 0));
  const cert = await certificateFor(c, argString(c.args, 1));
  return signItems(c.core, c.ctx, items, cert.id, cert.serialNumber, c.ctx.lang);
}

/** CheckValidTime: the certificate's dates against the page's time (or now). */
async function checkValidTime(c: VnptCall): Promise<string> {
  const cert = await certificateBySerial(c.core, c.ctx, argString(c.args, 0) ?? '');
  const at = (parsePageTime(argString(c.args, 1)) ?? new Date()).getTime();
  if (at < Date.parse(cert.notBefore)) return CHECK_CODE.NOT_YET_VALID;
  if (at > Date.parse(cert.notAfter)) return CHECK_CODE.EXPIRED;
  return CHECK_CODE.OK;
}

/**
 * CheckOCSP / CheckCRL: the validator's answer for the certificate (its own AIA / CRL
 * distribution points; URLs and CRLs the page sends are not fetched or trusted).
 */
async function checkRevocation(c: VnptCall): Promise<string> {
  const { status } = await certificateBySerial(c.core, c.ctx, argString(c.args, 0) ?? '');
  if (status.code === 'REVOKED' || status.revocation.status === 'revoked') return CHECK_CODE.REVOKED;
  if (status.code === 'UNTRUSTED') return CHECK_CODE.UNTRUSTED;
  if (status.revocation.status === 'good') return CHECK_CODE.OK;
  return CHECK_CODE.STATUS_CHECK_FAILED;
}

const settingAccepted = (name: string): VnptFunction => ({ name, run: async () => jsonResult({ code: 0, error: '' }), fail: jsonFail });

export const FUNCTIONS: Record<number, VnptFunction> = {
  0: {
    name: 'getCertInfo',
    run: async (c) => jsonResult(certJson(await certificateFor(c, argString(c.args, 1)))),
    // The script's convention: "" when the user cancels, `{code, error}` otherwise.
    fail: (e, lang) => isKysoError(e, 'USER_CANCELLED') ? '' : jsonResult({ code: 1, error: message(e, lang) }),
  },
  1: { name: 'signXml', run: (c) => signOne(c, 'xmldsig', 'signXml'), fail: jsonFail },
  2: { name: 'signPdf', run: (c) => signOne(c, 'pades', 'signPdf'), fail: jsonFail },
  4: { name: 'signCms', run: (c) => signOne(c, 'cms', 'signCms'), fail: jsonFail },
  // The licence is the vendor's commercial gate; our origin policy is the access control.
  6: { name: 'setLicenseKey', run: async () => jsonResult({ code: 1 }), fail: jsonFail },
  7: { name: 'checkPlugin', run: async () => '1', fail: () => '-1' },
  8: { name: 'signArrData', run: signList, fail: jsonFail },
  9: {
    name: 'signHash',
    run: async (c) => {
      const digest = fromBase64(argString(c.args, 0), 'args.0', 64);
      const serial = argString(c.args, 1);
      const certificateId = serial ? (await certificateBySerial(c.core, c.ctx, serial)).id : undefined;
      const r = await c.core.signHash(c.ctx, { certificateId, hash: digest, hashAlgorithm: hashByLength(digest) });
      return signOk(r.signature.toString('base64'), { certificate: r.certificate.toString('base64') });
    },
    fail: jsonFail,
  },
  10: { name: 'signArrDataAdvanced', run: signList, fail: jsonFail },
  11: { name: 'getVersion', run: async () => `kyso-bridge ${VERSION}`, fail: () => '' },
  // Answered with the vendor's key only: a third party cannot pass it, and does not pretend to.
  13: { name: 'checkPluginAdvanced', run: async () => '-1', fail: () => '-1' },
  16: { name: 'CheckValidTime', run: checkValidTime, fail: codeFail },
  18: { name: 'CheckOCSP', run: checkRevocation, fail: codeFail },
  21: { name: 'CheckCRL', run: checkRevocation, fail: codeFail },
  23: settingAccepted('SetLanguage'),
  35: settingAccepted('SetGetCertFromUsbToken'),
  36: settingAccepted('SetGetCertByPkcs11'),
  37: settingAccepted('SetShowCertListDialog'),
  40: {
    name: 'ClearPinCache',
    run: async (c) => {
      await c.core.clearPinCache(c.ctx);
      return jsonResult({ code: 0, error: '' });
    },
    fail: jsonFail,
  },
  45: {
    name: 'GetAllCertificates',
    run: async (c) => jsonResult((await c.core.listCertificates(c.ctx)).filter((x) => x.hasPrivateKey).map(certJson)),
    fail: jsonFail,
  },
};

export function functionFor(id: number): VnptFunction {
  return FUNCTIONS[id] ?? {
    name: `function ${id}`,
    run: async () => { throw new KysoError('INVALID_PARAMS', { field: 'functionID' }, `function ${id} is not supported by kyso-bridge`); },
    fail: jsonFail,
  };
}
