// Assuan percent-escaping. Command arguments and data lines travel as one text line, so
// '%', CR, LF (and other control bytes, to be safe) are sent as %XX; the peer decodes every %XX.

/** Longest Assuan line, without the trailing LF (ASSUAN_LINELENGTH is 1002 incl. CRLF). */
export const ASSUAN_MAX_LINE = 1000;

/** Escape a string for an Assuan command argument or data line. */
export function assuanEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '%' || c < 0x20 || c === 0x7f) out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return out;
}

/** Decode %XX escapes into bytes (UTF-8 sequences may be split across escapes). */
export function assuanUnescapeBytes(text: string | Buffer): Buffer {
  const src = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const out = Buffer.alloc(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25 && i + 2 < src.length && isHex(src[i + 1]) && isHex(src[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(src[i + 1]!, src[i + 2]!), 16);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

export function assuanUnescape(text: string | Buffer): string {
  return assuanUnescapeBytes(text).toString('utf8');
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/**
 * Build `CMD escaped-arg` within the Assuan line limit. Long texts (a long certificate name,
 * a long origin) are cut at a character boundary and marked with '…' rather than failing.
 */
export function assuanCommandLine(cmd: string, arg?: string): string {
  if (arg === undefined || arg === '') return cmd;
  const chars = Array.from(arg);
  let line = `${cmd} ${assuanEscape(arg)}`;
  if (Buffer.byteLength(line) <= ASSUAN_MAX_LINE) return line;
  let lo = 0;
  let hi = chars.length;
  // Binary search for the longest prefix that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const candidate = `${cmd} ${assuanEscape(chars.slice(0, mid).join('') + '…')}`;
    if (Buffer.byteLength(candidate) <= ASSUAN_MAX_LINE) lo = mid;
    else hi = mid - 1;
  }
  line = `${cmd} ${assuanEscape(chars.slice(0, lo).join('') + '…')}`;
  return line;
}
