// What the consent, grant, chooser and PIN/password dialogs say. {placeholders} are filled by
// src/pin/texts.ts with values it has already cleaned of control and bidi characters.
import type { Texts } from './types.js';

export const DIALOG_TEXTS = {
  'dialog.title': { vi: 'Chữ ký số — Kyso Bridge', en: 'Digital signature — Kyso Bridge' },
  'dialog.site': { vi: 'Trang web {origin} (tên miền: {site})', en: '{origin} (site: {site})' },
  'dialog.site.local': { vi: 'Chương trình trên máy tính này ({name})', en: 'A program on this computer ({name})' },
  'dialog.purpose.auth': { vi: 'tạo bằng chứng đăng ký/đăng nhập', en: 'create a registration/login proof' },
  'dialog.purpose.sign-document': { vi: 'ký văn bản', en: 'sign a document' },
  'dialog.purpose.sign-hash': { vi: 'ký một giá trị băm (dữ liệu bạn không xem được)', en: 'sign a hash (data you cannot see)' },
  'dialog.asks': { vi: '{site} yêu cầu dùng chữ ký số của bạn để\n{purpose}.', en: '{site} asks to {purpose}' },
  'dialog.hash': { vi: 'Giá trị băm ({alg}): {hash}', en: 'hash ({alg}) {hash}' },
  'dialog.certificate': { vi: 'Chứng thư số: {name}', en: 'with certificate {name}' },
  'dialog.issuer': { vi: 'Nhà cung cấp (CA): {ca} · Hiệu lực đến: {until}', en: 'issued by {ca}, valid until {until}' },
  'dialog.only-now': { vi: 'Chỉ đồng ý nếu bạn đang thao tác trên trang web này.', en: 'Only allow if you are using this website now.' },
  'dialog.id.taxCode': { vi: 'MST: {v}', en: 'tax code (MST) {v}' },
  'dialog.id.citizenId': { vi: 'CCCD: {v}', en: 'citizen ID (CCCD) {v}' },
  'dialog.id.legacyId': { vi: 'CMND: {v}', en: 'ID card (CMND) {v}' },
  'dialog.date': { vi: '{day}/{month}/{year} {hour}:{minute} (giờ Việt Nam)', en: '{year}-{month}-{day} {hour}:{minute} Vietnam time (UTC+7)' },
  'dialog.choose': { vi: 'Chọn chứng thư số ({i}/{n}):', en: 'Certificate {i} of {n},' },
  'dialog.choose.unusable': { vi: 'Không dùng được: {reason}', en: 'Cannot be used: {reason}' },
  'dialog.pin': { vi: 'Nhập mã PIN của thiết bị ký số «{label}»\nChứng thư số: {name}\nYêu cầu từ: {origin}', en: 'Enter the PIN of token «{label}»\nCertificate: {name}\nRequested by: {origin}' },
  'dialog.password': { vi: 'Nhập mật khẩu của tệp chứng thư số «{label}»\nChứng thư số: {name}\nYêu cầu từ: {origin}', en: 'Enter the password of certificate file «{label}»\nCertificate: {name}\nRequested by: {origin}' },
  'dialog.pin.prompt': { vi: 'Mã PIN / PIN:', en: 'PIN:' },
  'dialog.password.prompt': { vi: 'Mật khẩu / Password:', en: 'Password:' },
  'dialog.pin.final-try': { vi: 'Mã PIN không đúng. Còn 1 lần thử — nhập sai nữa thiết bị sẽ bị khoá.', en: 'Wrong PIN. 1 try left — one more wrong PIN locks the token.' },
  'dialog.pin.retries': { vi: 'Mã PIN không đúng. Còn {n} lần thử.', en: 'Wrong PIN. {n} tries left.' },
  'dialog.pin.count-low': { vi: 'Mã PIN không đúng. Thiết bị sắp bị khoá nếu tiếp tục nhập sai.', en: 'Wrong PIN. The token locks soon if you keep entering wrong PINs.' },
  'dialog.pin.retries-count-low': { vi: 'Mã PIN không đúng. Còn {n} lần thử. Thiết bị sắp bị khoá nếu tiếp tục nhập sai.', en: 'Wrong PIN. {n} tries left. The token locks soon if you keep entering wrong PINs.' },
  'dialog.pin.incorrect': { vi: 'Mã PIN không đúng. Vui lòng nhập lại.', en: 'Wrong PIN. Please try again.' },
  'dialog.password.incorrect': { vi: 'Mật khẩu không đúng. Vui lòng nhập lại.', en: 'Wrong password. Please try again.' },
  'dialog.origin': {
    vi: '{site} muốn dùng thiết bị ký số (USB token) của bạn để đăng nhập và ký văn bản.\nCho phép trang này gửi yêu cầu? Mỗi lần ký bạn vẫn được hỏi và phải nhập mã PIN.',
    en: 'The website {site} wants to use your signing token to log in and sign documents.\nAllow this site to send requests? You will still be asked, and need your PIN, for every signature.',
  },
  'dialog.raw-grant': {
    vi: 'CẢNH BÁO: {site} xin quyền ký dữ liệu mà bạn không xem được (giá trị băm).\nMột trang được ký dữ liệu bạn không xem được có thể dùng chữ ký đó để đăng nhập với danh nghĩa của bạn trên các trang web khác.\nChỉ cho phép nếu bạn tin tưởng hoàn toàn {domain}.',
    en: 'WARNING: {site} asks to sign data you cannot see (hashes).\nA site allowed to sign data you cannot see can use the signature to log in as you on other sites.\nOnly allow if you fully trust {domain}.',
  },
  'dialog.button.allow': { vi: 'Đồng ý / _Allow', en: '_Allow' },
  'dialog.button.permit': { vi: 'Cho phép / _Allow', en: '_Allow' },
  'dialog.button.deny': { vi: 'Từ chối / _Deny', en: '_Deny' },
  'dialog.button.cancel': { vi: 'Huỷ / _Cancel', en: '_Cancel' },
  'dialog.button.use': { vi: 'Dùng chứng thư này / _Use', en: '_Use this one' },
  'dialog.button.next': { vi: 'Chứng thư khác / _Next', en: '_Next' },
} satisfies Texts;

export type DialogTextKey = keyof typeof DIALOG_TEXTS;
