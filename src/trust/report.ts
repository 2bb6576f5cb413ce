// How trust is shown to a person: the report as text, and the manual steps for the systems where
// the bridge does not change trust itself — only the steps of the OS the user is on.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { caFileOf, type DbState, type TrustEnv, type TrustReport } from './nss.js';

export interface ManualSteps { macos: string[]; windows: string[] }

/** Commands for systems where the bridge cannot (and should not silently) change trust itself. */
export function manualSteps(caFile: string, caCommonName = 'kyso-bridge local CA'): ManualSteps {
  return {
    macos: [
      '# macOS — Keychain của người dùng / the user\'s login keychain (hệ thống sẽ hỏi mật khẩu / asks for your password):',
      `security add-trusted-cert -r trustRoot -p ssl -k ~/Library/Keychains/login.keychain-db "${caFile}"`,
      '# Kiểm tra / check:',
      `security verify-cert -c "${caFile}" -p ssl`,
      '# Gỡ bỏ / remove:',
      `security delete-certificate -c "${caCommonName}" ~/Library/Keychains/login.keychain-db`,
      '# Firefox: about:config → security.enterprise_roots.enabled = true (dùng Keychain / use the Keychain), rồi khởi động lại / then restart.',
    ],
    windows: [
      ':: Windows — kho "Trusted Root" của người dùng / the current user\'s Root store (xác nhận hộp thoại / confirm the dialog):',
      `certutil -user -addstore Root "${caFile}"`,
      ':: Kiểm tra / check:',
      `certutil -user -verifystore Root "${caCommonName}"`,
      ':: Gỡ bỏ / remove:',
      `certutil -user -delstore Root "${caCommonName}"`,
      ':: Firefox: about:config → security.enterprise_roots.enabled = true, rồi khởi động lại / then restart.',
    ],
  };
}

/** The manual steps for this OS only: none on Linux, where certutil does the work. */
export function stepsForPlatform(steps: ManualSteps, platform: string = process.platform): { os: 'macos' | 'windows'; lines: string[] } | undefined {
  if (platform === 'darwin') return { os: 'macos', lines: steps.macos };
  if (platform === 'win32') return { os: 'windows', lines: steps.windows };
  return undefined;
}

const STATE_TEXT: Record<DbState, string> = {
  installed: 'đã tin cậy / trusted',
  outdated: 'CA cũ, cần cài lại / an older CA, run install again',
  orphan: 'có CA kyso-bridge cũ nhưng chưa có CA hiện tại; khởi động kyso-bridge rồi cài lại / an old kyso-bridge CA, no current CA: start kyso-bridge, then install again',
  missing: 'chưa tin cậy / not trusted',
  'no-db': 'chưa có cơ sở dữ liệu NSS / no NSS database yet',
  error: 'lỗi / error',
};

export function formatReport(r: TrustReport, title: string): string {
  const lines = [title, `CA: ${r.caFile}${r.caPresent ? '' : ' (chưa có / missing)'}`];
  if (r.caSubject) lines.push(`    ${r.caSubject}`, `    SHA-256 ${r.caFingerprint}`);
  if (r.databases.length === 0) lines.push('Không tìm thấy trình duyệt dùng NSS. / No NSS browser database found.');
  for (const d of r.databases) {
    lines.push(`- ${d.label}: ${STATE_TEXT[d.state]}${d.action ? ` [${d.action}]` : ''}${d.error ? ` — ${d.error}` : ''}`, `    ${d.dir}`);
  }
  return lines.join('\n');
}

export function caCommonName(env: TrustEnv): string | undefined {
  const file = caFileOf(env);
  if (!existsSync(file)) return undefined;
  try {
    return /CN=([^,\n]+)/.exec(new X509Certificate(readFileSync(file)).subject)?.[1];
  } catch {
    return undefined;
  }
}
