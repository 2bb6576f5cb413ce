// Who listens on a loopback port: is it open, is it kyso-bridge (its HTTP answer names it), and
// on Linux which program holds it (/proc/net/tcp* inode → /proc/<pid>/fd → comm).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

export function isListening(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    const done = (v: boolean) => { s.destroy(); resolve(v); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function get(port: number, tls: boolean, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = (tls ? httpsRequest : httpRequest)({
      host: '127.0.0.1', port, path: '/v1', method: 'GET', timeout: timeoutMs,
      headers: { Host: `127.0.0.1:${port}` }, ...(tls ? { rejectUnauthorized: false } : {}),
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { if (body.length < 4096) body += d; });
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** 'tls'/'plain' when kyso-bridge answers on the port, undefined when something else does. */
export async function identifyKyso(port: number, timeoutMs = 1_500): Promise<'tls' | 'plain' | undefined> {
  if ((await get(port, true, timeoutMs))?.includes('kyso-bridge')) return 'tls';
  if ((await get(port, false, timeoutMs))?.includes('kyso-bridge')) return 'plain';
  return undefined;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; inode is field 10.
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1] ?? '', 16) === port) inodes.add(f[9]);
    }
  }
  return inodes;
}

/** "name (pid N)" of the process listening on the port, when /proc lets us see it. */
export function portOwner(port: number): string | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)); } catch { return undefined; }
  for (const pid of pids) {
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let link = '';
      try { link = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) {
        let name = '?';
        try { name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { /* gone */ }
        return `${name} (pid ${pid})`;
      }
    }
  }
  return undefined;
}
