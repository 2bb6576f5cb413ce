// What the tests need from a real store server they start (PostgreSQL, Redis): its URL, its
// logs, and the ways to stop, crash and restart it.
export interface TestServer {
  /** The store URL the verifier and the stores take. */
  url: string;
  dir: string;
  logs: string[];
  /** A clean shutdown; waits for exit. */
  stop(): Promise<void>;
  /** A crash: what each server promises to keep (fsynced commits / AOF) survives it. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  /** Stops and removes the data directory. */
  cleanup(): Promise<void>;
}
