// PIN state of each token: wrong PINs entered, last try, locked — with what to do.
import { finding, type Check, type Finding } from './types.js';

export const checkPin: Check = async (ctx) => {
  const out: Finding[] = [];
  for (const t of ctx.tokenList ?? []) {
    const label = t.label;
    if (t.pin.locked) {
      out.push(finding(ctx, `pin.locked.${t.id}`, 'error',
        { vi: `USB ký số «${label}» đã bị khoá do nhập sai mã PIN quá số lần cho phép.`, en: `The token «${label}» is locked after too many wrong PINs.` },
        { vi: 'Không thử thêm mã PIN. Hãy liên hệ CA (nhà cung cấp chữ ký số đã cấp USB này) để mở khoá hoặc cấp lại mã PIN.',
          en: 'Do not try more PINs. Contact your CA (the provider that issued this token) to unlock it or reset the PIN.' }));
    } else if (t.pin.finalTry) {
      out.push(finding(ctx, `pin.final-try.${t.id}`, 'warning',
        { vi: `USB ký số «${label}» chỉ còn 1 lần nhập mã PIN; nhập sai nữa sẽ bị khoá.`, en: `The token «${label}» has 1 PIN try left; one more wrong PIN locks it.` },
        { vi: 'Chỉ nhập khi chắc chắn đúng mã PIN. Nếu quên, liên hệ CA trước khi thử.', en: 'Only enter the PIN if you are sure. If you forgot it, contact your CA first.' }));
    } else if (t.pin.countLow) {
      out.push(finding(ctx, `pin.count-low.${t.id}`, 'warning',
        { vi: `Đã có lần nhập sai mã PIN của USB ký số «${label}»; thiết bị sắp bị khoá nếu tiếp tục nhập sai.`, en: `A wrong PIN was entered on «${label}»; it locks soon if wrong PINs continue.` },
        { vi: 'Kiểm tra kỹ mã PIN (bàn phím tiếng Việt/Unikey có thể làm sai ký tự). Nhập đúng một lần sẽ xoá cảnh báo này.',
          en: 'Check the PIN carefully (a Vietnamese keyboard/Unikey may change characters). One right entry clears this warning.' }));
    } else if (t.pin.protectedAuthenticationPath) {
      out.push(finding(ctx, `pin.pinpad.${t.id}`, 'info', { vi: `USB ký số «${label}» có bàn phím PIN riêng.`, en: `The token «${label}» has its own PIN pad.` }));
    } else {
      out.push(finding(ctx, `pin.ok.${t.id}`, 'info', { vi: `Mã PIN của «${label}»: bình thường.`, en: `PIN of «${label}»: ok.` }));
    }
  }
  return out;
};
