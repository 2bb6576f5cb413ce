// Texts of the document layer, Vietnamese first: the new error codes, the consent dialog's lines
// for a document, and its warnings. {name} placeholders are filled by documentText(). Part of
// the one text table (src/i18n/messages.ts).
import { fill, type Lang, type Texts } from './types.js';

export const DOCUMENT_TEXTS = {
  // consent dialog
  CONSENT_TITLE: { vi: 'Ký văn bản', en: 'Sign document' },
  CONSENT_DOCUMENT: { vi: 'Tài liệu: {name} ({size})', en: 'Document: {name} ({size})' },
  CONSENT_FINGERPRINT: { vi: 'Dấu vân tay SHA-256: {fingerprint}', en: 'SHA-256 fingerprint: {fingerprint}' },
  CONSENT_FORMAT: { vi: 'Định dạng: {format}', en: 'Format: {format}' },
  CONSENT_CERTIFICATE: { vi: 'Chứng thư số: {certificate}', en: 'Certificate: {certificate}' },
  CONSENT_PDF_PAGES: { vi: 'Số trang: {pages}', en: 'Pages: {pages}' },
  CONSENT_PDF_SIGNATURES_NONE: { vi: 'Chưa có chữ ký nào', en: 'No signatures yet' },
  CONSENT_PDF_SIGNATURES: { vi: 'Đã có {count} chữ ký: {signers}', en: 'Already signed {count} time(s): {signers}' },
  CONSENT_PDF_VISIBLE: { vi: 'Chữ ký hiển thị ở trang {page}, vị trí {rect}', en: 'Visible signature on page {page} at {rect}' },
  CONSENT_PDF_INVISIBLE: { vi: 'Chữ ký ẩn (không hiển thị trên trang)', en: 'Invisible signature (not shown on a page)' },
  CONSENT_INVOICE: { vi: 'Hóa đơn: ký hiệu {series}, số {number}, ngày {date}', en: 'Invoice: series {series}, number {number}, date {date}' },
  CONSENT_INVOICE_SELLER: { vi: 'Người bán: {name} — MST {taxCode}', en: 'Seller: {name} — tax code {taxCode}' },
  CONSENT_INVOICE_BUYER: { vi: 'Người mua: {name}', en: 'Buyer: {name}' },
  CONSENT_INVOICE_TOTAL: { vi: 'Tổng tiền thanh toán: {total} {currency}', en: 'Total: {total} {currency}' },
  // warnings
  WARN_SHA1: { vi: 'Cảnh báo: ký bằng thuật toán SHA-1 đã lỗi thời, chỉ dùng khi cơ quan nhận yêu cầu.', en: 'Warning: SHA-1 is outdated; use it only when the receiving system requires it.' },
  WARN_SELLER_MST: { vi: 'Cảnh báo: MST người bán trên hóa đơn ({invoice}) khác MST trong chứng thư số ({certificate}).', en: 'Warning: the seller tax code on the invoice ({invoice}) differs from the certificate\'s tax code ({certificate}).' },
  WARN_EXPIRING: { vi: 'Cảnh báo: chứng thư số hết hạn sau {days} ngày.', en: 'Warning: the certificate expires in {days} days.' },
} satisfies Texts;

export type DocumentTextKey = keyof typeof DOCUMENT_TEXTS;

export function documentText(key: DocumentTextKey, lang: Lang, args: Record<string, string | number | undefined> = {}): string {
  return fill(DOCUMENT_TEXTS[key][lang], args);
}
