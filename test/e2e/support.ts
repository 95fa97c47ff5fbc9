/**
 * Helpers for end-to-end tests: spawn the built CLI (`dist/src/cli/main.js`)
 * as a real process on loopback, wait for its output, stop it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared.js';

export const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Running {
  proc: ChildProcess;
  out: string[];
  waitFor: (re: RegExp, ms?: number) => Promise<RegExpMatchArray>;
}

export function startPlkit(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const proc = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, PLKIT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout!.on('data', (d) => out.push(String(d)));
  proc.stderr!.on('data', (d) => out.push(String(d)));
  const waitFor = (re: RegExp, ms = 15_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        const m = out.join('').match(re);
        if (m) return resolve(m);
        if (proc.exitCode !== null)
          return reject(new Error(`plkit exited (${proc.exitCode}): ${out.join('')}`));
        if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${re}: ${out.join('')}`));
        setTimeout(tick, 25);
      };
      tick();
    });
  return { proc, out, waitFor };
}

export function stopPlkit(r: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (r.proc.exitCode !== null || r.proc.signalCode !== null) return Promise.resolve(r.proc.exitCode);
  return new Promise((resolve) => {
    const t = setTimeout(() => r.proc.kill('SIGKILL'), 10_000);
    r.proc.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
    r.proc.kill(signal);
  });
}

export const BUILT = existsSync(MAIN);
export const NOT_BUILT_REASON = ' (skipped: run npm run build first)';
