// The request bodies of the verifier service, checked with zod. The token is passed through as
// the page received it (object or its JSON text); its inside is the verifier's to judge (BAD_FORMAT).
import { z } from 'zod';
import { invalidRequest, type HttpProblem } from './problem.js';

/** The portal's own session id; only its hash is stored. */
const SessionId = z.string().min(1).max(1024);

export const ChallengeRequest = z.object({ sessionId: SessionId }).strict();

export const VerifyRequest = z.object({
  sessionId: SessionId,
  token: z.union([z.string().min(1).max(60_000), z.record(z.string(), z.unknown())]),
}).strict();

export type ChallengeRequest = z.infer<typeof ChallengeRequest>;
export type VerifyRequest = z.infer<typeof VerifyRequest>;

/** The parsed body, or a 400 naming the first field that is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T | HttpProblem {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') return invalidRequest(issue.keys.join(', '), 'unknown field');
  const field = issue.path.length ? issue.path.join('.') : 'body';
  return invalidRequest(field, issue.message);
}
