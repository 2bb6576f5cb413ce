// Reads a JSON request body under a hard cap (64 KiB): a declared length over it is refused
// before reading, a streamed body as soon as it crosses it.
import type { IncomingMessage } from 'node:http';
import { HttpProblem, invalidRequest } from './problem.js';

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) => new HttpProblem(413, 'BODY_TOO_LARGE', { vi: { n: limit }, en: { n: limit } });

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (type !== 'application/json') throw invalidRequest('Content-Type', 'must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) throw invalidRequest('body', 'a JSON object is required');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalidRequest('body', 'not valid JSON');
  }
}
