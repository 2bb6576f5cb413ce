// Tokens and their certificates with the validation status a portal would see: expired,
// expiring, untrusted, revoked — each with what the user can do about it.
import type { CertificateStatus } from '../certs/index.js';
import type { IdentityJson } from '../types.js';
import { finding, type Check, type Finding } from './types.js';

/** The certificate holder first (the person), the organisation in brackets: "Lê Văn Thúc (UBND xã …)". */
export function holderName(identity: IdentityJson, subject: string): string {
  const { commonName: cn, organization: o } = identity;
  if (cn && o && cn !== o) return `${cn} (${o})`;
  return cn ?? o ?? subject;
}

function fixFor(status: CertificateStatus): { vi: string; en: string } {
  switch (status.code) {
    case 'EXPIRED':
      return { vi: 'Liên hệ nhà cung cấp chữ ký số (CA) để gia hạn chứng thư số; sau khi gia hạn, cắm lại USB.', en: 'Contact your certificate authority (CA) to renew the certificate, then replug the token.' };
    case 'NOT_YET_VALID':
      return { vi: 'Kiểm tra ngày giờ của máy tính; nếu đúng, chờ đến ngày chứng thư có hiệu lực.', en: 'Check the computer\'s date and time; if right, wait until the certificate becomes valid.' };
    case 'REVOKED':
      return { vi: 'Chứng thư số đã bị thu hồi, không dùng được nữa. Liên hệ CA để được cấp chứng thư mới.', en: 'The certificate was revoked and cannot be used. Contact your CA for a new one.' };
    case 'UNTRUSTED':
      return { vi: 'Chứng thư số không thuộc CA được Bộ TT&TT cấp phép, hoặc máy thiếu chứng thư CA trung gian. Liên hệ CA để được hướng dẫn.', en: 'The certificate does not come from a licensed Vietnamese CA, or an intermediate CA certificate is missing. Ask your CA.' };
    default:
      return { vi: 'Gửi kết quả này cho bộ phận hỗ trợ của CA.', en: 'Send this report to your CA\'s support.' };
  }
}

export const checkTokens: Check = async (ctx) => {
  const view = ctx.view;
  if (!view) return [];
  const tokens = ctx.tokenList = await view.tokens();
  if (tokens.length === 0) {
    return [finding(ctx, 'tokens.none', 'warning',
      { vi: 'Không đọc được USB ký số nào.', en: 'No signing token could be read.' },
      { vi: 'Cắm USB ký số vào máy (thử cổng USB khác nếu cần). Nếu đã cắm, xem mục driver ở trên.', en: 'Plug in your signing token (try another USB port). If it is plugged in, see the driver findings above.' })];
  }
  const out: Finding[] = tokens.map((t) => finding(ctx, `tokens.present.${t.id}`, 'info',
    { vi: `USB ký số «${t.label}» (${t.manufacturer} ${t.model}, số sê-ri ${t.serial}).`, en: `Signing token «${t.label}» (${t.manufacturer} ${t.model}, serial ${t.serial}).` }));
  for (const cert of await view.certificates()) {
    const status = cert.status;
    const who = holderName(cert.identity, cert.subject);
    const until = cert.notAfter.slice(0, 10);
    const text = { vi: `Chứng thư số của ${who} (hiệu lực đến ${until}): ${status.message}`, en: `Certificate of ${who} (valid until ${until}): ${status.message}` };
    if (!status.ok) {
      out.push(finding(ctx, `certs.${status.code.toLowerCase()}.${cert.id}`, 'error', text, fixFor(status)));
      continue;
    }
    out.push(finding(ctx, `certs.valid.${cert.id}`, 'info', text));
    for (const w of status.warnings) {
      const fix = w.code === 'EXPIRING_SOON'
        ? { vi: 'Liên hệ nhà cung cấp chữ ký số (CA) để gia hạn trước ngày hết hạn.', en: 'Contact your CA to renew before it expires.' }
        : { vi: '', en: '' };
      out.push(finding(ctx, `certs.${w.code.toLowerCase()}.${cert.id}`, 'warning', { vi: `${who}: ${w.message}`, en: `${who}: ${w.message}` }, fix));
    }
  }
  return out;
};
