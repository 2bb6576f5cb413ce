// The human-readable report: one line per finding with ✔/⚠/✖, the fix indented under it.
import type { Lang } from '../i18n/messages.js';
import type { Finding, Severity } from './types.js';

const MARK: Record<Severity, string> = { info: '✔', warning: '⚠', error: '✖' };

export function formatFindings(findings: Finding[], lang: Lang): string {
  const lines = [lang === 'en' ? 'kyso-bridge doctor — checking your signing setup' : 'kyso-bridge doctor — kiểm tra chữ ký số trên máy', ''];
  for (const f of findings) {
    lines.push(`${MARK[f.severity]} ${f.message}`);
    if (f.fix) lines.push(`    ${lang === 'en' ? 'Fix' : 'Cách sửa'}: ${f.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  lines.push('', lang === 'en'
    ? `${errors} problem(s) to fix, ${warnings} warning(s).`
    : `${errors} lỗi cần sửa, ${warnings} cảnh báo.`);
  return `${lines.join('\n')}\n`;
}
