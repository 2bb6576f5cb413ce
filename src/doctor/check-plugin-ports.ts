// Other Vietnamese signing plugins on their well-known ports: a portal may talk to them instead
// of kyso-bridge, and two plugins fighting over one token confuse users.
import { finding, type Check } from './types.js';
import { identifyKyso, isListening, portOwner } from './port-probe.js';

export const KNOWN_PLUGIN_PORTS: { port: number; plugin: string }[] = [
  { port: 8987, plugin: 'VGCA Sign Service (Ban Cơ yếu)' },
  { port: 4433, plugin: 'VNPT-CA Plugin' },
  { port: 4434, plugin: 'VNPT-CA Plugin' },
  { port: 4435, plugin: 'VNPT-CA Plugin' },
  { port: 8443, plugin: 'BkavCA Signer' },
  { port: 14007, plugin: 'Viettel-CA Plugin' },
  { port: 14407, plugin: 'Viettel-CA Plugin' },
];

export const checkPluginPorts: Check = async (ctx) => {
  const open = await Promise.all(KNOWN_PLUGIN_PORTS.map(async (p) => ({ ...p, open: p.port !== ctx.port && await isListening(p.port, '127.0.0.1', 500) })));
  // kyso-bridge's own compatibility endpoints answer there (docs/compat.md): not a conflict.
  const ours = await Promise.all(open.map(async (p) => p.open && (await identifyKyso(p.port)) !== undefined));
  const mine = open.filter((_p, i) => ours[i]);
  const held = open.filter((p, i) => p.open && !ours[i]);
  const own = mine.map((p) => finding(ctx, `plugin-ports.${p.port}`, 'info',
    { vi: `Cổng ${p.port}: kyso-bridge trả lời các trang dùng ${p.plugin}.`, en: `Port ${p.port}: kyso-bridge answers pages written for ${p.plugin}.` }));
  if (held.length === 0 && own.length > 0) return own;
  if (held.length === 0) {
    return [finding(ctx, 'plugin-ports.free', 'info',
      { vi: 'Không có plugin ký số nào khác đang chạy trên các cổng quen thuộc.', en: 'No other signing plugin is running on the well-known ports.' })];
  }
  return [...own, ...held.map((p) => {
    const owner = portOwner(p.port);
    const by = owner ? ` — ${owner}` : '';
    return finding(ctx, `plugin-ports.${p.port}`, 'warning',
      { vi: `Cổng ${p.port} (thường dùng bởi ${p.plugin}) đang có chương trình chiếm${by}. Trang web có thể gọi nhầm plugin đó thay vì kyso-bridge.`,
        en: `Port ${p.port} (usually ${p.plugin}) is held by a program${by}. Portals may talk to that plugin instead of kyso-bridge.` },
      { vi: `Nếu bạn muốn dùng kyso-bridge: thoát ${p.plugin} (biểu tượng ở khay hệ thống) hoặc gỡ cài đặt nó, rồi tải lại trang web.`,
        en: `To use kyso-bridge: quit ${p.plugin} (tray icon) or uninstall it, then reload the web page.` });
  })];
};
