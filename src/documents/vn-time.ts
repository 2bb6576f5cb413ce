// Vietnam local time (UTC+7, no daylight saving), the clock Vietnamese documents are signed in.
const VN_OFFSET_MS = 7 * 3_600_000;

function parts(d: Date): { y: string; mo: string; da: string; h: string; mi: string; s: string } {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return { y: p(v.getUTCFullYear(), 4), mo: p(v.getUTCMonth() + 1), da: p(v.getUTCDate()), h: p(v.getUTCHours()), mi: p(v.getUTCMinutes()), s: p(v.getUTCSeconds()) };
}

/** `yyyy-MM-ddTHH:mm:ss`, as e-invoice SigningTime elements carry it. */
export function vnIsoLocal(d: Date): string {
  const t = parts(d);
  return `${t.y}-${t.mo}-${t.da}T${t.h}:${t.mi}:${t.s}`;
}

/** `dd/MM/yyyy HH:mm:ss`, as a visible signature shows it. */
export function vnDisplay(d: Date): string {
  const t = parts(d);
  return `${t.da}/${t.mo}/${t.y} ${t.h}:${t.mi}:${t.s}`;
}
