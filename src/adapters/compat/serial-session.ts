// A vendor-protocol socket: frames are handled one after another and answered in order (VNPT-CA
// replaces its message handler per call; BkavCA keeps one callback slot), so a slow signature is
// never overtaken. Frames waiting behind it are capped: a page cannot queue work without end.
import { isKysoError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdapterSession, Peer } from '../protocol-adapter.js';

/** Frames queued behind the one running; more close the socket (the vendor scripts send one at a time). */
export const MAX_QUEUED_FRAMES = 2;

export abstract class SerialSession implements AdapterSession {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(readonly peer: Peer, protected readonly log: Logger, private readonly listener: string) {}

  /** One complete request; returns the reply frame or undefined (fire-and-forget calls). */
  protected abstract handle(text: string): Promise<string | undefined>;

  /** What a frame that is not text gets. */
  protected abstract binaryReply(): string | undefined;

  /**
   * A request from the WebSocket messages so far (BkavCA chunks one frame into several), at once
   * and outside the queue; undefined while incomplete. Throws when the request grows too large.
   */
  protected gather(text: string): string | undefined {
    return text;
  }

  onFrame(message: string, isBinary: boolean): Promise<void> {
    let text = message;
    if (!isBinary) {
      try {
        const whole = this.gather(message);
        if (whole === undefined) return Promise.resolve();
        text = whole;
      } catch {
        this.peer.close(1009, 'frame too large');
        return Promise.resolve();
      }
    }
    if (this.queued >= MAX_QUEUED_FRAMES) {
      this.peer.close(1008, 'one request at a time');
      return Promise.resolve();
    }
    this.queued++;
    const job = this.tail.then(async () => {
      try {
        const reply = isBinary ? this.binaryReply() : await this.handle(text);
        if (reply !== undefined) this.peer.send(reply);
      } catch (e) {
        // handle() answers every error itself; reaching here is a bug, never a crash.
        this.log.error({ conn: this.peer.id, listener: this.listener, err: (e as Error)?.stack }, 'internal error');
      } finally {
        this.queued--;
      }
    });
    this.tail = job;
    return job;
  }

  drain(): Promise<void> {
    return this.tail;
  }

  onClose(): void {
    // Nothing to release: a closed socket aborts its dialogs through peer.signal.
  }

  /** One log line per call: the function and the outcome, never its arguments (PINs, hashes). */
  protected logCall(fn: string, started: number, outcome: unknown): void {
    const code = isKysoError(outcome) ? outcome.code : outcome instanceof Error ? 'INTERNAL' : String(outcome);
    this.log.info({ conn: this.peer.id, origin: this.peer.origin, listener: this.listener, fn, ms: +(performance.now() - started).toFixed(2), outcome: code }, 'request');
  }
}
