// Test helpers around fake-pinentry.mjs: a script of answers and the transcript of what the
// dialogs said. The daemon runs the program like any pinentry; only env tells it the files.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FAKE_PINENTRY = resolve('test/support/fake-pinentry.mjs');

export type FakeAnswer =
  | { confirm: 'ok' | 'cancel' | 'notok' }
  | { pin: string }
  | { hang: true }
  | { die: true }
  | { timeout: true };

export interface TranscriptEntry {
  pid: number;
  time: string;
  /** Assuan command (upper case), or START (argv) / ANSWER (what the script answered). */
  cmd: string;
  /** Decoded argument. */
  text: string;
  raw?: string;
  args?: string[];
}

export interface FakePinentry {
  program: string;
  env: { KYSO_FAKE_PINENTRY_SCRIPT: string; KYSO_FAKE_PINENTRY_TRANSCRIPT: string };
  /** Replace the answer queue and restart it at the first answer. */
  setScript(answers: FakeAnswer[]): void;
  transcript(): TranscriptEntry[];
  /** Answers consumed so far. */
  consumed(): number;
  clearTranscript(): void;
  /** Copy env into process.env (children of this process inherit it). */
  install(): void;
}

export function createFakePinentry(dir: string): FakePinentry {
  mkdirSync(dir, { recursive: true });
  chmodSync(FAKE_PINENTRY, 0o755);
  const script = join(dir, 'pinentry-script.json');
  const transcriptFile = join(dir, 'pinentry-transcript.jsonl');
  const env = { KYSO_FAKE_PINENTRY_SCRIPT: script, KYSO_FAKE_PINENTRY_TRANSCRIPT: transcriptFile };
  const fake: FakePinentry = {
    program: FAKE_PINENTRY,
    env,
    setScript(answers) {
      writeFileSync(script, JSON.stringify(answers));
      rmSync(`${script}.state`, { force: true });
    },
    transcript() {
      if (!existsSync(transcriptFile)) return [];
      return readFileSync(transcriptFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TranscriptEntry);
    },
    consumed() {
      return existsSync(`${script}.state`) ? Number(readFileSync(`${script}.state`, 'utf8')) : 0;
    },
    clearTranscript() {
      rmSync(transcriptFile, { force: true });
    },
    install() {
      Object.assign(process.env, env);
    },
  };
  fake.setScript([]);
  return fake;
}
