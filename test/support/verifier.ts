// `kyso-bridge verifier serve` as a real child process (the built CLI): its URL from the line it
// prints, every log line kept (for "never logged" checks), stop (SIGTERM) and kill (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { CLI } from './daemon.js';

export interface VerifierProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

export async function startVerifierProcess(args: string[]): Promise<VerifierProcess> {
  const child = spawn(process.execPath, [CLI, 'verifier', 'serve', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stderr!.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`verifier did not start:\n${logs.join('\n')}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /kyso-bridge verifier: (\S+)/.exec(out);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`verifier exited ${code}:\n${logs.join('\n')}`)); });
  });
  const exit = (sig: NodeJS.Signals) => new Promise<number | null>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) { res(child.exitCode); return; }
    child.once('exit', (code) => res(code));
    child.kill(sig);
  });
  return { url, child, logs, stop: () => exit('SIGTERM'), kill: async () => { await exit('SIGKILL'); } };
}

export interface HttpResult { status: number; json: any }

/** POST JSON over a fresh connection; a connection-level failure rejects (the caller may retry elsewhere). */
export function postJson(base: string, path: string, value: unknown): Promise<HttpResult> {
  const body = JSON.stringify(value);
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try { resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function getStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(base + path, { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); }).on('error', reject).end();
  });
}
