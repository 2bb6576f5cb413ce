#!/usr/bin/env node
// A scripted pinentry for tests: speaks Assuan on stdin/stdout like the real one.
// KYSO_FAKE_PINENTRY_SCRIPT: JSON array of answers, consumed in order across process spawns
//   (index kept in "<script>.state"): {"confirm":"ok"|"cancel"|"notok"}, {"pin":"123456"|"cancel"},
//   {"hang":true} (never answers), {"die":true} (exits mid-dialog), {"timeout":true} (pinentry's own timeout).
// KYSO_FAKE_PINENTRY_TRANSCRIPT: JSON lines appended for every command received (text decoded).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const scriptFile = process.env.KYSO_FAKE_PINENTRY_SCRIPT;
const transcriptFile = process.env.KYSO_FAKE_PINENTRY_TRANSCRIPT;
const ERR_CANCELED = 83886179; // GPG_ERR_CANCELED from source pinentry
const ERR_NOT_CONFIRMED = 83886194;
const ERR_TIMEOUT = 83886142;
const ERR_GENERAL = 83886081;

function record(entry) {
  if (!transcriptFile) return;
  appendFileSync(transcriptFile, JSON.stringify({ pid: process.pid, time: new Date().toISOString(), ...entry }) + '\n');
}

function unescape(s) {
  const src = Buffer.from(s, 'utf8');
  const out = [];
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x25 && i + 2 < src.length && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(src[i + 1], src[i + 2]))) {
      out.push(parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16));
      i += 2;
    } else out.push(src[i]);
  }
  return Buffer.from(out).toString('utf8');
}

function escapeData(s) {
  return s.replace(/[%\r\n]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Take the next answer from the script; the index survives across processes. */
function nextAnswer() {
  if (!scriptFile || !existsSync(scriptFile)) return undefined;
  const answers = JSON.parse(readFileSync(scriptFile, 'utf8'));
  const stateFile = `${scriptFile}.state`;
  const index = existsSync(stateFile) ? Number(readFileSync(stateFile, 'utf8')) || 0 : 0;
  writeFileSync(stateFile, String(index + 1));
  return answers[index];
}

function send(line) {
  process.stdout.write(line + '\n');
}

record({ cmd: 'START', text: process.argv.slice(2).join(' '), args: process.argv.slice(2) });
send('OK Pleased to meet you, fake pinentry');

let hanging = false;
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl).replace(/\r$/, '');
    buf = buf.slice(nl + 1);
    handle(line);
  }
});
process.stdin.on('end', () => process.exit(0));

function handle(line) {
  if (hanging) return;
  const sp = line.indexOf(' ');
  const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
  const raw = sp < 0 ? '' : line.slice(sp + 1);
  record({ cmd, text: unescape(raw), raw });
  switch (cmd) {
    case 'CONFIRM':
    case 'GETPIN':
      return answer(cmd, nextAnswer());
    case 'BYE':
      send('OK closing connection');
      return process.exit(0);
    case 'GETINFO':
      if (raw === 'version') send('D 1.2.1-fake');
      else if (raw === 'pid') send(`D ${process.pid}`);
      return send('OK');
    default:
      return send('OK');
  }
}

function answer(cmd, a) {
  record({ cmd: 'ANSWER', text: JSON.stringify(a ?? null), for: cmd });
  if (!a) return send(`ERR ${ERR_GENERAL} fake-pinentry: script exhausted at ${cmd}`);
  if (a.hang) {
    hanging = true; // keep the process alive, answer nothing
    setInterval(() => undefined, 1 << 30);
    return;
  }
  if (a.die) process.exit(3);
  if (a.timeout) return send(`ERR ${ERR_TIMEOUT} Timeout <Pinentry>`);
  if (cmd === 'CONFIRM') {
    if (!('confirm' in a)) return send(`ERR ${ERR_GENERAL} fake-pinentry: script expected ${Object.keys(a)[0]} got CONFIRM`);
    if (a.confirm === 'ok') return send('OK');
    if (a.confirm === 'notok') return send(`ERR ${ERR_NOT_CONFIRMED} Not confirmed <Pinentry>`);
    return send(`ERR ${ERR_CANCELED} Operation cancelled <Pinentry>`);
  }
  if (!('pin' in a)) return send(`ERR ${ERR_GENERAL} fake-pinentry: script expected ${Object.keys(a)[0]} got GETPIN`);
  if (a.pin === 'cancel') return send(`ERR ${ERR_CANCELED} Operation cancelled <Pinentry>`);
  send('S PIN_REPEATED_NOT_USED');
  send(`D ${escapeData(String(a.pin))}`);
  send('OK');
}
