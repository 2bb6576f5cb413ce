// A loopback RFC 3161 time-stamping authority for tests: a small Node HTTP server that hands each
// POSTed TimeStampReq to `openssl ts -reply` with the fixture TSA certificate (tsa-ca-rsa, critical
// timeStamping EKU) and returns the TimeStampResp. `mode` lets a test make the TSA fail.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OUT_DIR } from '../../certs-fixtures/paths.js';

const run = promisify(execFile);

export type TsaMode = 'ok' | 'down' | 'garbage';

function config(dir: string): string {
  return `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = ${dir}/serial
crypto_device = builtin
signer_cert = ${join(OUT_DIR, 'tsa-ca-rsa.pem')}
certs = ${dir}/chain.pem
signer_key = ${join(OUT_DIR, 'tsa-ca-rsa.key.pem')}
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1.1
other_policies = 1.3.6.1.4.1.99999.1.2
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

export class TsaServer {
  mode: TsaMode = 'ok';
  hits = 0;
  private server?: Server;
  private readonly dir = mkdtempSync(join(tmpdir(), 'kyso-tsa-'));
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    writeFileSync(join(this.dir, 'serial'), '01\n');
    writeFileSync(join(this.dir, 'chain.pem'), readFileSync(join(OUT_DIR, 'ca-rsa.pem')));
    writeFileSync(join(this.dir, 'tsa.cnf'), config(this.dir));
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error('TSA server not started');
    return `http://127.0.0.1:${addr.port}/tsa`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.hits++;
    if (this.mode === 'down') return void res.writeHead(503).end();
    if (this.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end('not a reply');
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') return void res.writeHead(400).end();
    try {
      // openssl keeps a serial file: one reply at a time.
      const reply = await (this.queue = this.queue.catch(() => undefined).then(() => this.reply(Buffer.concat(chunks))));
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  }

  private async reply(query: Buffer): Promise<Buffer> {
    const q = join(this.dir, 'q.tsq');
    const r = join(this.dir, 'r.tsr');
    writeFileSync(q, query);
    await run('openssl', ['ts', '-reply', '-config', join(this.dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
    return readFileSync(r);
  }
}
