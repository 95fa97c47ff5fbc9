/**
 * The newest points of a category (or of one measurement) when points are
 * stored per request body rather than per row.
 *
 * The store indexes each body by its measurement names with the newest
 * point time of that name (a "run"). Runs are visited newest time first
 * (ties: later body first); each visited body is decoded and its points
 * become candidates ordered by (time, arrival) — arrival being (body id,
 * position in the body), the order the points were accepted in. Once
 * `limit` candidates are held, a run whose newest time is below the
 * `limit`-th candidate (or equal to it but from an earlier body) cannot
 * contribute, and neither can any run after it, so the walk stops. In the
 * common case — times growing with arrival, or all equal — only the last
 * few bodies are decoded.
 */
import type { StoredPoint } from './stored-body.js';

export interface Run {
  bodyId: number;
  /** Newest point time (ns) of the run's measurement in that body. */
  maxTime: bigint;
}

interface Candidate {
  time: bigint;
  body: number;
  pos: number;
  point: StoredPoint;
}

function newestFirst(a: Candidate, b: Candidate): number {
  if (a.time !== b.time) return a.time > b.time ? -1 : 1;
  if (a.body !== b.body) return b.body - a.body;
  return b.pos - a.pos;
}

/**
 * The `limit` newest points, oldest first. `runs` must come newest
 * `maxTime` first, then highest body id first; with `name` undefined any
 * point of a visited body counts (the runs are then all of the category's
 * runs, several per body when it holds several measurements).
 */
export function pickNewest(
  runs: Iterable<Run>,
  limit: number,
  name: string | undefined,
  load: (bodyId: number) => StoredPoint[],
): StoredPoint[] {
  let cands: Candidate[] = [];
  // The `limit`-th candidate at the last trim: a bound no tighter than the
  // true one, so stopping on it never drops a point that belongs.
  let bound: Candidate | null = null;
  const visited = new Set<number>();
  for (const run of runs) {
    if (
      bound !== null &&
      (run.maxTime < bound.time || (run.maxTime === bound.time && run.bodyId < bound.body))
    ) {
      break;
    }
    if (visited.has(run.bodyId)) continue;
    visited.add(run.bodyId);
    const pts = load(run.bodyId);
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i]!;
      if (name === undefined || p.name === name)
        cands.push({ time: p.time, body: run.bodyId, pos: i, point: p });
    }
    // Trim the first time `limit` is reached, then whenever the list doubles.
    if (cands.length >= (bound === null ? limit : 2 * limit)) {
      cands = trimmed(cands, limit);
      bound = cands[limit - 1]!;
    }
  }
  cands = trimmed(cands, limit);
  const out: StoredPoint[] = new Array(cands.length);
  for (let i = 0; i < cands.length; i++) out[cands.length - 1 - i] = cands[i]!.point;
  return out;
}

function trimmed(cands: Candidate[], limit: number): Candidate[] {
  cands.sort(newestFirst);
  if (cands.length > limit) cands.length = limit;
  return cands;
}
