// USB tokens plugged in and whether their driver is installed: the most common support case is
// a token plugged in without its driver, which PKCS#11 alone cannot see.
import { detectUsbTokens } from '../hardware/usb-tokens.js';
import { tr, finding, type Check } from './types.js';

export const checkUsb: Check = async (ctx) => {
  const loaded = ctx.view?.modules.filter((s) => s.loaded).map((s) => s.path) ?? [];
  let reports;
  try {
    reports = await detectUsbTokens(loaded);
  } catch (e) {
    return [finding(ctx, 'usb.unknown', 'warning',
      { vi: `Không liệt kê được thiết bị USB: ${(e as Error).message}`, en: `Could not list USB devices: ${(e as Error).message}` })];
  }
  if (reports.length === 0) {
    return [finding(ctx, 'usb.none', 'info',
      { vi: 'Không thấy USB ký số quen thuộc nào được cắm vào máy.', en: 'No known USB signing token is plugged in.' })];
  }
  return reports.map((r) => {
    const id = `${r.device.vid}:${r.device.pid}`;
    if (r.driverInstalled) {
      return finding(ctx, `usb.ok.${id}`, 'info', r.summary, { vi: '', en: '' });
    }
    const name = r.entry.products[0] ?? r.entry.name;
    return {
      id: `usb.no-driver.${id}`, severity: 'error' as const,
      message: tr(ctx.lang, `Máy tính đã nhận USB ký số ${name} (${id.toUpperCase()}) nhưng chưa cài driver, nên chưa ký được.`,
        `The computer sees the ${name} signing token (${id.toUpperCase()}) but its driver is not installed, so it cannot sign yet.`),
      fix: tr(ctx.lang, `${r.installHint.vi} Cài xong, rút USB ra cắm lại rồi chạy lại "kyso-bridge doctor".`,
        `${r.installHint.en} Afterwards unplug and replug the token and run "kyso-bridge doctor" again.`),
    };
  });
};
