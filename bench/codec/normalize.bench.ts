/**
 * Cost of the intake checks (normalizePoint) per point on the 1,000 nginx
 * logging points of shared/bench/codec/nginx1000.lp, with and without the
 * hints the decoders pass, in CPU time (best of several rounds, all
 * variants interleaved in one process). Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody } from '../../src/point/codec/index.js';
import { HINT_CLEAN_ENTRIES, HINT_PLAIN_KEYS, normalizePoint } from '../../src/point/normalize.js';
import type { Point } from '../../src/point/point.js';
import { sharedDir } from '../support.js';

const lp = readFileSync(join(sharedDir(), 'bench/codec/nginx1000.lp'));
const points = decodeBody(lp, 'application/line-protocol', { category: 'logging', now: 0n }).points;

/** Fresh copies per round, so every variant checks points in the same state. */
function copies(): Point[] {
  return points.map((p) => p.clone());
}

function cpuNsPerPoint(hints: number): number {
  const batch = copies();
  const t0 = process.cpuUsage();
  let n = 0;
  let elapsedUs = 0;
  do {
    for (let i = 0; i < batch.length; i++) normalizePoint(batch[i]!, 'logging', undefined, hints);
    n += batch.length;
    const t = process.cpuUsage(t0);
    elapsedUs = t.user + t.system;
  } while (elapsedUs < 100_000);
  return (elapsedUs * 1000) / n;
}

const variants = {
  none: 0,
  plain_keys: HINT_PLAIN_KEYS,
  clean_entries: HINT_PLAIN_KEYS | HINT_CLEAN_ENTRIES,
};
const best: Record<string, number> = {};
for (const hints of Object.values(variants)) cpuNsPerPoint(hints); // warm up
for (let round = 0; round < 7; round++) {
  for (const [name, hints] of Object.entries(variants)) {
    const ns = cpuNsPerPoint(hints);
    best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, ns);
  }
}
const ns_per_point: Record<string, number> = {};
for (const [name, ns] of Object.entries(best)) ns_per_point[name] = Math.round(ns);
console.log(
  JSON.stringify({ bench: 'normalize', points: points.length, unit: 'cpu ns/point', ns_per_point }),
);
