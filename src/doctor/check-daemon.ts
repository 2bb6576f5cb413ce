// Is kyso-bridge running (its control socket answers, or something kyso-like on the port), on
// which listeners — or does another program hold its port?
import { finding, type Check } from './types.js';
import { identifyKyso, isListening, portOwner } from './port-probe.js';

export const checkDaemon: Check = async (ctx) => {
  const start = ctx.start.command;
  if (ctx.daemon) {
    const d = ctx.daemon;
    return [finding(ctx, 'daemon.running', 'info',
      { vi: `Dịch vụ kyso-bridge ${d.version} đang chạy: ${d.listeners.join(', ')} (cấu hình ${d.configDir}).`,
        en: `kyso-bridge ${d.version} is running: ${d.listeners.join(', ')} (config ${d.configDir}).` })];
  }
  const port = ctx.port;
  if (!(await isListening(port))) {
    return [finding(ctx, 'daemon.not-running', 'warning',
      { vi: `Dịch vụ kyso-bridge chưa chạy (không có gì ở cổng ${port}). Trang dịch vụ công sẽ không thấy thiết bị ký số.`,
        en: `kyso-bridge is not running (nothing on port ${port}). Portals will not find your signing token.` },
      { vi: `Khởi động kyso-bridge: ${start.vi}.`, en: `Start kyso-bridge: ${start.en}.` })];
  }
  const kind = await identifyKyso(port);
  if (kind) {
    return [finding(ctx, 'daemon.running', 'info',
      { vi: `Dịch vụ kyso-bridge đang chạy ở cổng ${port} (${kind === 'tls' ? 'wss' : 'ws'}://127.0.0.1:${port}/v1).`,
        en: `kyso-bridge is running on port ${port} (${kind === 'tls' ? 'wss' : 'ws'}://127.0.0.1:${port}/v1).` })];
  }
  const owner = portOwner(port);
  const who = owner ? { vi: `chương trình ${owner}`, en: `the program ${owner}` } : { vi: 'một chương trình khác', en: 'another program' };
  return [finding(ctx, 'daemon.port-taken', 'error',
    { vi: `Cổng ${port} mà kyso-bridge cần đang bị ${who.vi} chiếm, nên kyso-bridge không thể chạy.`,
      en: `Port ${port}, which kyso-bridge needs, is held by ${who.en}, so kyso-bridge cannot run.` },
    { vi: `Đóng ${who.vi} (hoặc khởi động lại máy), rồi khởi động lại kyso-bridge: ${start.vi}. Nếu vẫn cần chương trình đó, đổi cổng của kyso-bridge: thêm "port": <số cổng khác> vào tệp cấu hình.`,
      en: `Close ${who.en} (or restart the computer), then start kyso-bridge again: ${start.en}. If you need that program, give kyso-bridge another port: add "port": <another number> to its config file.` })];
};
