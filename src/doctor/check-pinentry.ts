// Is there a program to show the consent and PIN dialogs?
import { findPinentry, whichSync } from '../pin/discovery.js';
import { finding, type Check } from './types.js';

export const checkPinentry: Check = async (ctx) => {
  const program = findPinentry(ctx.pinentry);
  const usable = program ? whichSync(program) : undefined;
  if (usable) {
    return [finding(ctx, 'pinentry.found', 'info',
      { vi: `Hộp thoại nhập mã PIN: ${usable}.`, en: `PIN dialog program: ${usable}.` })];
  }
  return [finding(ctx, 'pinentry.missing', 'error',
    { vi: 'Máy chưa có chương trình hiện hộp thoại nhập mã PIN (pinentry), nên không thể ký.',
      en: 'No PIN dialog program (pinentry) is installed, so signing cannot ask for your PIN.' },
    { vi: 'Cài pinentry: mở Terminal và chạy "sudo apt-get install pinentry-gnome3" (máy có giao diện) hoặc "sudo apt-get install pinentry-tty" (chỉ có dòng lệnh).',
      en: 'Install pinentry: run "sudo apt-get install pinentry-gnome3" (desktop) or "sudo apt-get install pinentry-tty" (terminal only).' })];
};
