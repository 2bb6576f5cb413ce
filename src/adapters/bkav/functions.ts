// The BkavCA function table: function ID → a call onto the one core and its result text. Results
// are the script's: codes as numbers in text, base64 for data. Calls that carry a PIN from the
// page are refused: the PIN is only ever typed in our dialog.
import type { BridgeService, CallContext } from '../../core/bridge-service.js';
import { KysoError, isKysoError } from '../../errors.js';
import type { SignatureReport } from '../../documents/verify.js';
import { VERSION } from '../../version.js';
import { certificateBySerial } from '../compat/certificates.js';
import { fromBase64, hashByLength } from '../compat/hashes.js';
import { certificatesXml, matches } from './cert-list.js';
import { optional } from './codec.js';

export interface BkavCall { core: BridgeService; ctx: CallContext; args: string[] }

export interface BkavFunction {
  name: string;
  run(c: BkavCall): Promise<string>;
  fail(e: unknown): string;
}

/** The script's "no permission" (CheckToken 0; GetCertListByFilter `MA==`, base64 of "0"). */
export const NO_PERMISSION = '0';
const NO_PERMISSION_LIST = 'MA==';

/** Sign failures: 0 no permission, -1 error, -2 cancelled, -3 no usable certificate (ours). */
function signFail(e: unknown): string {
  if (isKysoError(e, 'ORIGIN_NOT_ALLOWED')) return NO_PERMISSION;
  if (isKysoError(e, 'USER_CANCELLED') || isKysoError(e, 'TIMEOUT')) return '-2';
  if (isKysoError(e) && ['CERTIFICATE_NOT_FOUND', 'CERTIFICATE_INVALID', 'TOKEN_NOT_PRESENT', 'KEY_NOT_FOUND'].includes(e.code)) return '-3';
  return '-1';
}

async function certificateId(c: BkavCall, serialArg: string | undefined): Promise<string | undefined> {
  const serial = optional(serialArg);
  return serial ? (await certificateBySerial(c.core, c.ctx, serial)).id : undefined;
}

async function certList(c: BkavCall, filter: string | undefined, value: string | undefined): Promise<string> {
  const all = (await c.core.listCertificates(c.ctx)).filter((x) => x.hasPrivateKey);
  return certificatesXml(all.filter((x) => matches(x, filter, optional(value))));
}

/** CheckToken: 1 ok, 3 the plugged tokens lack that certificate, 4 no token (5 no driver: never known here). */
async function checkToken(c: BkavCall): Promise<string> {
  const tokens = await c.core.listTokens(c.ctx);
  if (tokens.length === 0) return '4';
  const serial = optional(c.args[0]);
  if (!serial) return '1';
  return await certificateBySerial(c.core, c.ctx, serial).then(() => '1', (e) => { if (isKysoError(e, 'CERTIFICATE_NOT_FOUND')) return '3'; throw e; });
}

/** VerifyXML codes: 1 ok, -2 no signature, -3 invalid, -5 expired, -6 revoked, -8 trust path failed. */
function verifyCode(s: SignatureReport | undefined): string {
  if (!s) return '-2';
  if (!s.integrity || !s.coversContent) return '-3';
  const code = s.validation.code;
  if (code === 'EXPIRED' || code === 'NOT_YET_VALID') return '-5';
  if (code === 'REVOKED') return '-6';
  if (code === 'UNTRUSTED') return '-8';
  if (code === 'REVOCATION_UNKNOWN') return '-12';
  return s.valid ? '1' : '-3';
}

const pinRefused = (name: string): BkavFunction => ({
  name, run: async () => { throw new KysoError('ORIGIN_NOT_ALLOWED', {}, `${name} carries a PIN from the page; kyso-bridge asks the PIN only in its own dialog`); }, fail: () => NO_PERMISSION,
});

/** Session settings (licence, hash, DLL names, PIN cache): accepted, not followed. */
const setting = (name: string): BkavFunction => ({ name, run: async () => '1', fail: () => '-1' });

export const FUNCTIONS: Record<number, BkavFunction> = {
  0: {
    name: 'SignXMLBase64',
    // 0*b64*tagSigning*nodeToSign*tagSaveResult*timeSign*serial*ds…
    run: async (c) => {
      const [b64, , nodeToSign, tagSaveResult, , serial] = c.args;
      const node = optional(nodeToSign)?.replace(/^#/, '');
      const parent = optional(tagSaveResult);
      const r = await c.core.signDocument(c.ctx, {
        certificateId: await certificateId(c, serial), format: 'xmldsig', profile: 'generic', content: fromBase64(b64, 'xml', c.core.maxDocumentBytes), name: 'SignXML',
        options: { xml: { referenceId: node, signatureParent: parent && /^[A-Za-z_][\w.-]{0,127}$/.test(parent) ? `//${parent}` : undefined } },
      });
      return r.content.toString('base64');
    },
    fail: signFail,
  },
  8: {
    name: 'VerifyXML',
    run: async (c) => verifyCode((await c.core.verifySignature(c.ctx, fromBase64(c.args[0], 'xml', c.core.maxDocumentBytes))).signatures[0]),
    fail: (e) => isKysoError(e, 'ORIGIN_NOT_ALLOWED') ? NO_PERMISSION : '-1',
  },
  12: { name: 'GetAllCert', run: (c) => certList(c, c.args[0], c.args[1]), fail: (e) => isKysoError(e, 'ORIGIN_NOT_ALLOWED') ? NO_PERMISSION_LIST : '-1' },
  13: { name: 'GetCertListByFilter', run: (c) => certList(c, c.args[0], c.args[1]), fail: (e) => isKysoError(e, 'ORIGIN_NOT_ALLOWED') ? NO_PERMISSION_LIST : '-1' },
  18: { name: 'CheckToken', run: checkToken, fail: (e) => isKysoError(e, 'ORIGIN_NOT_ALLOWED') ? NO_PERMISSION : '-1' },
  30: { name: 'GetVersion', run: async () => `kyso-bridge ${VERSION}`, fail: () => '-1' },
  34: pinRefused('ImportCert'),
  36: pinRefused('ChangePINToken'),
  37: pinRefused('CheckLogin'),
  38: {
    name: 'SignCMSBase64',
    // 38*b64*serial: CMS with the data inside, so the server checks it with nothing else.
    run: async (c) => {
      const r = await c.core.signDocument(c.ctx, {
        certificateId: await certificateId(c, c.args[1]), format: 'cms', content: fromBase64(c.args[0], 'data', c.core.maxDocumentBytes), name: 'SignCMS',
        options: { cms: { detached: false } },
      });
      return r.content.toString('base64');
    },
    fail: signFail,
  },
  // A plugin-authenticity challenge answered with Bkav's key: we have none and do not pretend.
  40: { name: 'BkavCANativeAppValidate', run: async () => '-1', fail: () => '-1' },
  48: {
    name: 'SignHash',
    // 48*<base64 digest>*serial: a PKCS#1 v1.5 / ECDSA signature over a digest (sign-raw).
    run: async (c) => {
      const digest = fromBase64(c.args[0], 'hash', 64);
      const r = await c.core.signHash(c.ctx, { certificateId: await certificateId(c, c.args[1]), hash: digest, hashAlgorithm: hashByLength(digest) });
      return r.signature.toString('base64');
    },
    fail: signFail,
  },
};

for (const [id, name] of [[23, 'SetUsePKCS11'], [25, 'SetDLLName'], [26, 'SetLicenseKey'], [31, 'SetPINCache'], [32, 'SetGetAttributesCertDefault'],
  [41, 'SetCheckTokenDefault'], [42, 'SetHashAlgorithm'], [43, 'SetAddCertChain'], [44, 'SetAddBase64Cert']] as const) {
  FUNCTIONS[id] = setting(name);
}

export function functionFor(id: number): BkavFunction {
  return FUNCTIONS[id] ?? { name: `function ${id}`, run: async () => { throw new KysoError('INVALID_PARAMS', {}, 'not supported'); }, fail: () => '-1' };
}
