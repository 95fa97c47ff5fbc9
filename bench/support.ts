/** Shared helpers for benchmarks: locating inputs and timing loops. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository (or PLKIT_SHARED_DIR), from src or dist. */
export function sharedDir(): string {
  const env = process.env.PLKIT_SHARED_DIR;
  if (env && existsSync(env)) return env;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const c = join(dir, '..', 'shared');
    if (existsSync(join(c, 'bench'))) return resolve(c);
    dir = dirname(dir);
  }
  throw new Error('../shared/bench not found; set PLKIT_SHARED_DIR');
}

/** Best-of-`rounds` rate in items per second for `fn`, which processes `items` items per call. */
export function bestRate(fn: () => void, items: number, minMs = 300, rounds = 3): number {
  for (let i = 0; i < 20; i++) fn(); // warm up the JIT
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    } while (elapsed < minMs);
    best = Math.max(best, (calls * items) / (elapsed / 1000));
  }
  return Math.round(best);
}
