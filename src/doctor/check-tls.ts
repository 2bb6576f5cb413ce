// The loopback TLS certificate: present, in date, and trusted by the browsers' NSS databases
// (Chrome/Chromium ~/.pki/nssdb, Firefox profiles) — without that, wss:// pages fail silently.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrustError, trustStatus, type TrustEnv } from '../trust/nss.js';
import { homedir } from 'node:os';
import { finding, type Check, type Finding } from './types.js';

const DAY = 86_400_000;

export const checkTls: Check = async (ctx) => {
  const out: Finding[] = [];
  const serverPem = join(ctx.configDir, 'tls', 'server.pem');
  if (!existsSync(serverPem)) {
    return [finding(ctx, 'tls.missing', 'warning',
      { vi: 'Chưa có chứng thư bảo mật (TLS) cho kết nối giữa trình duyệt và kyso-bridge.', en: 'The TLS certificate for browser ↔ kyso-bridge connections has not been created yet.' },
      { vi: `Khởi động kyso-bridge một lần (nó tự tạo): ${ctx.start.command.vi}; rồi chạy "kyso-bridge trust install" và khởi động lại trình duyệt.`,
        en: `Start kyso-bridge once (it creates it): ${ctx.start.command.en}; then run "kyso-bridge trust install" and restart the browser.` })];
  }
  try {
    const leaf = new X509Certificate(readFileSync(serverPem));
    const left = Date.parse(leaf.validTo) - Date.now();
    if (left <= 0) {
      out.push(finding(ctx, 'tls.expired', 'warning',
        { vi: 'Chứng thư bảo mật (TLS) của kyso-bridge đã hết hạn.', en: 'kyso-bridge\'s TLS certificate has expired.' },
        { vi: `Khởi động lại kyso-bridge (nó tự gia hạn): ${ctx.start.command.vi}; rồi chạy "kyso-bridge trust install" và khởi động lại trình duyệt.`,
          en: `Restart kyso-bridge (it renews it): ${ctx.start.command.en}; then run "kyso-bridge trust install" and restart the browser.` }));
    } else {
      out.push(finding(ctx, 'tls.valid', 'info',
        { vi: `Chứng thư bảo mật (TLS) hợp lệ, còn ${Math.floor(left / DAY)} ngày.`, en: `TLS certificate valid for ${Math.floor(left / DAY)} more days.` }));
    }
  } catch (e) {
    out.push(finding(ctx, 'tls.broken', 'warning',
      { vi: 'Tệp chứng thư bảo mật (TLS) của kyso-bridge bị hỏng.', en: `kyso-bridge's TLS certificate file is broken (${(e as Error).message}).` },
      { vi: `Khởi động lại kyso-bridge (nó tự tạo lại): ${ctx.start.command.vi}; rồi chạy "kyso-bridge trust install".`, en: `Restart kyso-bridge (it recreates it): ${ctx.start.command.en}; then run "kyso-bridge trust install".` }));
  }
  const env: TrustEnv = { home: process.env.HOME || homedir(), configDir: ctx.configDir };
  let report;
  try {
    report = trustStatus(env);
  } catch (e) {
    if (!(e instanceof TrustError)) throw e;
    out.push(finding(ctx, 'tls.no-certutil', 'warning',
      { vi: 'Không kiểm tra được trình duyệt có tin cậy kyso-bridge hay không: thiếu lệnh certutil.', en: 'Cannot check whether the browsers trust kyso-bridge: certutil is missing.' },
      { vi: 'Mở Terminal và chạy: sudo apt-get install libnss3-tools', en: 'Run: sudo apt-get install libnss3-tools' }));
    return out;
  }
  for (const db of report.databases) {
    if (db.state === 'installed') {
      out.push(finding(ctx, `tls.trusted.${db.kind}`, 'info', { vi: `${db.label}: đã tin cậy kyso-bridge.`, en: `${db.label}: trusts kyso-bridge.` }));
    } else if (db.state === 'no-db' && db.kind === 'nss') {
      // Chrome/Chromium make ~/.pki/nssdb on first use; trust install creates it if needed.
      out.push(finding(ctx, 'tls.untrusted.nss', 'warning',
        { vi: `${db.label}: chưa có cơ sở dữ liệu chứng thư của trình duyệt, nên trình duyệt chưa tin cậy kyso-bridge.`, en: `${db.label}: no browser certificate database yet, so the browser does not trust kyso-bridge.` },
        { vi: 'Mở Terminal và chạy "kyso-bridge trust install" (nó tạo cơ sở dữ liệu), rồi khởi động lại trình duyệt.', en: 'Run "kyso-bridge trust install" (it creates the database), then restart the browser.' }));
    } else if (db.state !== 'no-db') {
      out.push(finding(ctx, `tls.untrusted.${db.kind}`, 'warning',
        { vi: `${db.label}: trình duyệt chưa tin cậy kyso-bridge, trang web sẽ không kết nối được.`, en: `${db.label}: the browser does not trust kyso-bridge yet; pages cannot connect.` },
        { vi: 'Mở Terminal và chạy "kyso-bridge trust install", rồi khởi động lại trình duyệt.', en: 'Run "kyso-bridge trust install", then restart the browser.' }));
    }
  }
  return out;
};
