// A request the service answers with an error status: 400, 404, 405, 413, 503, 500. The body is
// always {ok: false, code, message (Vietnamese), messageEn}, plus `field` for INVALID_REQUEST.
import { portalText } from '../i18n/table-portal.js';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fill: { vi?: Record<string, string | number>; en?: Record<string, string | number> } = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }

  body(): Record<string, unknown> {
    return {
      ok: false, code: this.code,
      message: portalText(this.code, 'vi', this.fill.vi), messageEn: portalText(this.code, 'en', this.fill.en),
      ...this.extra,
    };
  }
}

/** 400 naming the field; `detail` (English, from the schema) goes into messageEn only. */
export function invalidRequest(field: string, detail?: string): HttpProblem {
  return new HttpProblem(400, 'INVALID_REQUEST', { vi: { field }, en: { field: detail ? `${field} (${detail})` : field } }, { field });
}
