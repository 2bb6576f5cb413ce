// BkavCA frames: `<ID>*<arg1>*…*<argN>[*BkavExtensionCallback]*end`, fields joined by `*` with no
// escaping; the script cuts long frames into several WebSocket messages, so text is gathered until
// it ends with `*end`. A reply `<result>*BkavExtensionCallback*end` goes only to calls that carry
// the callback tag: the script has one callback slot, and an answer to a fire-and-forget call
// would land in the next call's callback.
import { KysoError } from '../../errors.js';

export const CALLBACK_TAG = 'BkavExtensionCallback';
const END = '*end';

/** The script's chunk size (characters); a message is at most this many UTF-16 units. */
export const SCRIPT_CHUNK_CHARS = 114_271;

export interface BkavRequest { id: number; args: string[]; wantsReply: boolean }

/** Gathers a frame's chunks; refuses a frame past the cap without holding more of it. */
export class FrameAssembler {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly maxChars: number) {}

  /** The complete frame once the chunk ending with `*end` arrived, else undefined. */
  push(chunk: string): string | undefined {
    this.size += chunk.length;
    if (this.size > this.maxChars) {
      this.parts = [];
      this.size = 0;
      throw new KysoError('DOCUMENT_TOO_LARGE', {}, 'frame over the size limit');
    }
    this.parts.push(chunk);
    if (!chunk.endsWith(END)) return undefined;
    const frame = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return frame;
  }

}

export function parseFrame(frame: string): BkavRequest {
  const fields = frame.slice(0, -END.length).split('*');
  const wantsReply = fields[fields.length - 1] === CALLBACK_TAG;
  if (wantsReply) fields.pop();
  const id = /^\d{1,4}$/.test(fields[0] ?? '') ? Number(fields[0]) : -1;
  return { id, args: fields.slice(1), wantsReply };
}

export function replyFrame(result: string): string {
  return `${result.replace(/\*/g, '')}*${CALLBACK_TAG}*end`;
}

/** `1` is the script's "none" for optional fields (serial, value, time). */
export function optional(arg: string | undefined): string | undefined {
  return arg === undefined || arg === '' || arg === '1' || arg === 'undefined' || arg === 'null' ? undefined : arg;
}
