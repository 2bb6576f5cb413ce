// `npm run demo`: demo SoftHSM tokens + the bridge daemon (TLS) + the demo portal, no hardware.
// Everything lives in .kyso-demo/ of this clone (KYSO_DEMO_DIR elsewhere); the user's own config
// is not touched. Options: --port N (portal), --bridge-port N, --pinentry PROGRAM, --no-tls, --reset.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { provisionSoftHsm } from '../certs-fixtures/softhsm.js';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { defaultTrustEnv, trustInstall } from '../src/trust/nss.js';
import { formatReport } from '../src/trust/report.js';
import { createLogger } from '../src/log.js';
import type { Dialogs } from '../src/core/dialogs.js';
import { PinentryDialogs } from '../src/pin/dialogs.js';
import { findPinentry, isTerminalPinentry } from '../src/pin/discovery.js';
import { startDemoPortal } from '../src/portal/demo/server.js';
import { startBridge } from '../src/daemon/assemble.js';
import { DEFAULT_PORT } from '../src/transport/limits.js';

const { values } = parseArgs({ options: {
  port: { type: 'string', default: '8080' }, 'bridge-port': { type: 'string', default: String(DEFAULT_PORT) },
  pinentry: { type: 'string' }, 'no-tls': { type: 'boolean', default: false }, reset: { type: 'boolean', default: false },
} });
const root = resolve(process.env.KYSO_DEMO_DIR || '.kyso-demo');
if (values.reset) {
  // A clean start: new demo tokens, portal accounts, TLS material and origin decisions.
  rmSync(root, { recursive: true, force: true });
  console.log(`Đã xoá dữ liệu thử nghiệm cũ / removed the old demo state: ${root}`);
}
const configDir = join(root, 'config');
const log = createLogger({ level: process.env.KYSO_LOG_LEVEL ?? 'warn' });
const anchors = ['root-national.pem', 'root-gov.pem'].map((f) => join(OUT_DIR, f));

console.log('Chuẩn bị thiết bị ký số thử nghiệm (SoftHSM)… / provisioning demo tokens…');
const softhsm = provisionSoftHsm(join(root, 'softhsm'));
process.env.SOFTHSM2_CONF = softhsm.conf;

const portal = await startDemoPortal({
  port: Number(values.port), host: '127.0.0.1',
  trustAnchors: anchors.map((f) => readFileSync(f, 'utf8')), revocation: 'prefer', dbFile: join(root, 'portal.sqlite'),
});
/** What the demo tokens are for, in Vietnamese first (the fixtures describe them in English). */
const PURPOSE_VI: Record<string, string> = {
  'KYSO DOANH NGHIEP': 'doanh nghiệp (kiểu VNPT-CA) / organisation',
  'KYSO CONG DAN': 'công dân, khoá EC / citizen, EC key',
  'KYSO CO QUAN': 'công chức (kiểu Ban Cơ yếu) / civil servant',
  'KYSO HET HAN': 'chứng thư đã hết hạn / expired certificate',
};
function printPins(): void {
  console.log('  Mã PIN thử nghiệm / demo PINs:');
  for (const t of softhsm.tokens) console.log(`    ${t.label.padEnd(20)} PIN ${t.userPin.padEnd(8)} ${PURPOSE_VI[t.label] ?? t.purpose}`);
}

/** A terminal pinentry draws over this terminal: print the PIN list again after each dialog. */
function reprintingDialogs(inner: Dialogs): Dialogs {
  const after = <T>(p: Promise<T>) => p.finally(() => { console.log(''); printPins(); });
  return {
    confirm: (r, o) => after(inner.confirm(r, o)),
    getPin: (r, o) => after(inner.getPin(r, o)),
    confirmOrigin: (r, o) => after(inner.confirmOrigin(r, o)),
    confirmRawSigning: (r, o) => after(inner.confirmRawSigning(r, o)),
    chooseCertificate: (r, o) => after(inner.chooseCertificate(r, o)),
  };
}
const program = findPinentry(values.pinentry);
const dialogs = program && isTerminalPinentry(program) ? reprintingDialogs(new PinentryDialogs({ program })) : undefined;

let bridge;
try {
  bridge = await startBridge({
    // The demo shows our own API; the vendor-compatible ports stay free (tests run demos side by side).
    compat: false,
    port: Number(values['bridge-port']), tls: !values['no-tls'], configFile: join(configDir, 'config.json'),
    modules: [softhsm.modulePath], pinentry: values.pinentry, dialogs, allowOrigins: [portal.origin],
    trustAnchorFiles: anchors, revocation: 'prefer', log,
  });
} catch (e) {
  await portal.close();
  const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(busy
    ? `Cổng ${values['bridge-port']} đang bận (kyso-bridge khác đang chạy? "kyso-bridge status" cho biết). Chạy với cổng khác: npm run demo -- --bridge-port N\n`
      + `Port ${values['bridge-port']} is busy (another kyso-bridge running? "kyso-bridge status" tells). Use another port: npm run demo -- --bridge-port N`
    : `Không khởi động được kyso-bridge / could not start the bridge: ${(e as Error).message}`);
  process.exit(1);
}
portal.setDaemonUrl(bridge.url);

if (bridge.caFile && existsSync('/usr/bin/certutil')) {
  try {
    console.log(formatReport(trustInstall(defaultTrustEnv(configDir)), 'Tin cậy chứng thư TLS của kyso-bridge / trusting the bridge certificate'));
  } catch (e) {
    console.log(`Chưa cài được chứng thư vào trình duyệt / could not install the CA: ${(e as Error).message}`);
  }
}

console.log(`
  Cổng dịch vụ công thử nghiệm / demo portal:  ${portal.url}
  kyso-bridge:                                 ${bridge.url}
  Dữ liệu thử nghiệm / demo state:             ${root} (npm run demo -- --reset để làm lại từ đầu / to start over)`);
// Ready to stop cleanly before telling the user how to stop.
const stop = async () => {
  await bridge.close();
  await portal.close();
  process.stdout.write('Đã dừng kyso-bridge và cổng thử nghiệm. / Stopped the bridge and the demo portal.\n', () => process.exit(0));
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
printPins();
console.log(`
  Mở địa chỉ trên trong trình duyệt → Đăng ký → USB ký số. Hộp thoại xác nhận và mã PIN hiện trên
  màn hình (hoặc trong cửa sổ dòng lệnh này nếu không có giao diện đồ hoạ). Ctrl+C để dừng.
  Open the portal URL in a browser → Đăng ký → USB ký số. Consent and PIN dialogs appear on the
  desktop (or in this terminal without a display). Ctrl+C stops.
`);
