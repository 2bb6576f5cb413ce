// Which PKCS#11 modules (token drivers) load — the running daemon's, or a direct read. Opens the
// token view the later checks read.
import { openTokenView } from '../inspect/token-view.js';
import { finding, type Check, type Finding } from './types.js';

export const checkModules: Check = async (ctx) => {
  ctx.view = await openTokenView({
    modules: ctx.modules, configFile: ctx.configFile, local: ctx.localTokens || !ctx.daemon, controlPath: ctx.controlPath,
    trustAnchorFiles: ctx.trustAnchorFiles, revocation: ctx.revocation, lang: ctx.lang, timeoutMs: 3_000,
  });
  const statuses = ctx.view.modules;
  const whose = ctx.view.source === 'daemon' ? { vi: ' (dịch vụ đang chạy)', en: ' (running daemon)' } : { vi: '', en: '' };
  if (statuses.length === 0) {
    return [finding(ctx, 'modules.none', 'error',
      { vi: 'Không tìm thấy driver (thư viện PKCS#11) của thiết bị ký số nào trên máy.', en: 'No signing-token driver (PKCS#11 module) was found on this computer.' },
      { vi: 'Cài driver của USB ký số do nhà cung cấp chữ ký số (CA) của bạn cấp (thường có trong ổ đĩa ảo hiện ra khi cắm USB), rồi chạy lại "kyso-bridge doctor".',
        en: 'Install your token\'s driver from your certificate authority (CA) — often on the virtual CD the token shows when plugged in — then run "kyso-bridge doctor" again.' })];
  }
  const out: Finding[] = statuses.map((s) => s.loaded
    ? finding(ctx, `modules.loaded.${s.path}`, 'info', { vi: `Đã nạp driver ${s.name} (${s.path})${whose.vi}.`, en: `Loaded driver ${s.name} (${s.path})${whose.en}.` })
    : finding(ctx, `modules.failed.${s.path}`, 'warning',
      { vi: `Không nạp được driver ${s.path}: ${s.error ?? 'lỗi không rõ'}.`, en: `Could not load driver ${s.path}: ${s.error ?? 'unknown error'}.` },
      { vi: 'Cài lại driver của USB ký số (bản 64-bit cho máy 64-bit). Nếu vẫn lỗi, gửi kết quả này cho bộ phận hỗ trợ của CA.',
        en: 'Reinstall the token driver (64-bit on a 64-bit computer). If it still fails, send this report to your CA\'s support.' }));
  if (!statuses.some((s) => s.loaded)) {
    out.push(finding(ctx, 'modules.none-loaded', 'error',
      { vi: 'Không driver nào nạp được, nên không đọc được thiết bị ký số.', en: 'No driver could be loaded, so no token can be read.' },
      { vi: 'Cài lại driver của USB ký số do CA của bạn cung cấp.', en: 'Reinstall the token driver from your CA.' }));
  }
  return out;
};
