/**
 * Timing a script the way `go test -bench` does, for the debug API's
 * `benchmark` and `plkit pipeline --benchmark`: runs on fresh copies of the
 * input points (a script changes its point), copies made outside the timed
 * part, N grown until the runs fill the time budget. The server's variant
 * yields to the event loop between chunks of runs, so a benchmark asked
 * for through the debug API never stalls intake.
 */
import type { Point } from '../../point/point.js';
import type { Script } from '../lang/script.js';

const CHUNK = 1000;

/** Total ns spent running `script` `n` times over copies of `points` (round robin). */
export function timeRuns(script: Script, points: readonly Point[], n: number, tz?: string): number {
  const it = runChunks(script, points, n, tz);
  let r = it.next();
  while (r.done !== true) r = it.next();
  return r.value;
}

/** `timeRuns`, yielding to the event loop between chunks (time spent outside runs is not counted). */
export async function timeRunsYielding(
  script: Script,
  points: readonly Point[],
  n: number,
  tz?: string,
): Promise<number> {
  const it = runChunks(script, points, n, tz);
  let r = it.next();
  while (r.done !== true) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    r = it.next();
  }
  return r.value;
}

function* runChunks(
  script: Script,
  points: readonly Point[],
  n: number,
  tz?: string,
): Generator<void, number> {
  const copies: Point[] = new Array(Math.min(n, CHUNK));
  const opts = tz === undefined ? {} : { tz };
  let total = 0n;
  let done = 0;
  while (done < n) {
    const m = Math.min(CHUNK, n - done);
    for (let i = 0; i < m; i++) copies[i] = points[(done + i) % points.length]!.clone();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < m; i++) script.run(copies[i]!, opts);
    total += process.hrtime.bigint() - t0;
    done += m;
    if (done < n) yield;
  }
  return Number(total);
}

export interface BenchResult {
  n: number;
  nsPerOp: number;
}

function nextN(n: number, took: number, budget: number): number {
  const perOp = Math.max(took / n, 1);
  const next = Math.round((budget / perOp) * 1.2);
  return Math.min(Math.max(next, n + 1), n * 100, 1e9);
}

/** Grow N (×1.2 of the prediction, at most ×100 a step) until the runs take `budgetMs`. */
export function autoBenchmark(
  script: Script,
  points: readonly Point[],
  budgetMs: number,
  tz?: string,
): BenchResult {
  const budget = budgetMs * 1e6;
  let n = 1;
  let took = timeRuns(script, points, n, tz);
  while (took < budget && n < 1e9) {
    n = nextN(n, took, budget);
    took = timeRuns(script, points, n, tz);
  }
  return { n, nsPerOp: took / n };
}

/** `autoBenchmark` for servers: yields between chunks of runs. */
export async function autoBenchmarkYielding(
  script: Script,
  points: readonly Point[],
  budgetMs: number,
  tz?: string,
): Promise<BenchResult> {
  const budget = budgetMs * 1e6;
  let n = 1;
  let took = await timeRunsYielding(script, points, n, tz);
  while (took < budget && n < 1e9) {
    n = nextN(n, took, budget);
    took = await timeRunsYielding(script, points, n, tz);
  }
  return { n, nsPerOp: took / n };
}
