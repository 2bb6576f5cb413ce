// Is there a program to show the consent and PIN dialogs? Judged by what is installed, not by
// this doctor's own session: doctor may run without a terminal or display (a script, a service)
// while the daemon runs in the desktop session or in a terminal.
import { findPinentry, whichSync } from '../pin/discovery.js';
import { finding, type Check } from './types.js';

const GUI = ['pinentry-gnome3', 'pinentry-qt', 'pinentry-qt5', 'pinentry-gtk-2', 'pinentry-gtk2'];
const TERMINAL = ['pinentry-curses', 'pinentry-tty'];

export const checkPinentry: Check = async (ctx) => {
  const chosen = findPinentry(ctx.pinentry);
  const usable = chosen ? whichSync(chosen) : undefined;
  if (usable) {
    return [finding(ctx, 'pinentry.found', 'info', { vi: `Hộp thoại nhập mã PIN: ${usable}.`, en: `PIN dialog program: ${usable}.` })];
  }
  const gui = GUI.map((n) => whichSync(n)).find(Boolean);
  const terminal = TERMINAL.map((n) => whichSync(n)).find(Boolean);
  if (gui) {
    return [finding(ctx, 'pinentry.found', 'info',
      { vi: `Hộp thoại nhập mã PIN: ${gui} (hiện trong phiên làm việc có màn hình).`, en: `PIN dialog program: ${gui} (shown in your desktop session).` })];
  }
  if (terminal && ctx.start.kind !== 'systemd' && ctx.start.kind !== 'launchd') {
    return [finding(ctx, 'pinentry.terminal', 'info',
      { vi: `Hộp thoại nhập mã PIN: ${terminal} (hiện trong cửa sổ dòng lệnh đang chạy kyso-bridge).`, en: `PIN dialog program: ${terminal} (shown in the terminal that runs kyso-bridge).` })];
  }
  if (terminal) {
    return [finding(ctx, 'pinentry.terminal-only', 'warning',
      { vi: `Chỉ có ${terminal} (hộp thoại trong cửa sổ dòng lệnh); dịch vụ tự chạy khi đăng nhập không có cửa sổ dòng lệnh nên không hỏi được mã PIN.`,
        en: `Only ${terminal} (a terminal dialog) is installed; the login service has no terminal, so it cannot ask for the PIN.` },
      { vi: 'Cài hộp thoại có giao diện: mở Terminal và chạy "sudo apt-get install pinentry-gnome3".', en: 'Install a desktop dialog: run "sudo apt-get install pinentry-gnome3".' })];
  }
  return [finding(ctx, 'pinentry.missing', 'error',
    { vi: 'Máy chưa có chương trình hiện hộp thoại nhập mã PIN (pinentry), nên không thể ký.',
      en: 'No PIN dialog program (pinentry) is installed, so signing cannot ask for your PIN.' },
    { vi: 'Cài pinentry: mở Terminal và chạy "sudo apt-get install pinentry-gnome3" (máy có giao diện) hoặc "sudo apt-get install pinentry-tty" (chỉ có dòng lệnh).',
      en: 'Install pinentry: run "sudo apt-get install pinentry-gnome3" (desktop) or "sudo apt-get install pinentry-tty" (terminal only).' })];
};
