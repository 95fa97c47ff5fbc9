/**
 * Chooses the receiver for a batch.
 *
 * - `round_robin`: the next available receiver after the last one used,
 *   counted in points rather than batches (the receiver that got the
 *   fewest points goes next, ties in turn), so partial batches cut by
 *   `flush_interval` do not load one receiver more than another. A
 *   receiver back from an ejection or a throttle catches up by at most two
 *   batches instead of taking everything until its count matches.
 * - `least_pending`: the available receiver with the fewest batches in
 *   flight (ties in round-robin order), so a slow processor gets less.
 * - `affinity`: points are grouped by the rendezvous choice of their
 *   `affinity_keys` values among the *healthy* receivers; a throttled
 *   receiver keeps its keys (its groups wait in the spool rather than
 *   move), an ejected one loses them to each key's next choice.
 *
 * Every receiver takes at most `maxInFlight` batches at a time; when all
 * available receivers are full the answer is `busy` (wait for a slot),
 * when none is available it is `none` (spool).
 */
import type { OffloadBalance } from '../config/types.js';
import type { Point } from '../point/point.js';
import { UInt } from '../point/value.js';
import { seedOf, weight } from './rendezvous.js';
import type { Target } from './target.js';

export type Pick = { kind: 'target'; target: Target } | { kind: 'busy' } | { kind: 'none' };

export interface Group {
  /** null when no receiver is healthy. */
  target: Target | null;
  points: Point[];
}

export class Balancer {
  readonly targets: readonly Target[];
  readonly policy: OffloadBalance;
  readonly maxInFlight: number;
  readonly #keys: readonly string[];
  readonly #seeds: number[];
  /** Points handed to each receiver by round robin (by target index). */
  readonly #points: number[];
  #cursor = 0;

  constructor(
    targets: readonly Target[],
    policy: OffloadBalance,
    maxInFlight: number,
    affinityKeys: readonly string[],
  ) {
    this.targets = targets;
    this.policy = policy;
    this.maxInFlight = maxInFlight;
    this.#keys = affinityKeys;
    this.#seeds = targets.map((t) => seedOf(t.base));
    this.#points = targets.map(() => 0);
  }

  availableCount(now: number): number {
    let n = 0;
    for (let i = 0; i < this.targets.length; i++) if (this.targets[i]!.available(now)) n++;
    return n;
  }

  /** The receiver for a keyless batch of `points` points now. */
  pick(now: number, points = 1): Pick {
    const ts = this.targets;
    const n = ts.length;
    const counts = this.#points;
    const roundRobin = this.policy !== 'least_pending';
    // A receiver that was away (nothing counted for it) catches up by two batches at most.
    if (roundRobin) {
      let most = 0;
      for (let i = 0; i < n; i++) if (ts[i]!.available(now) && counts[i]! > most) most = counts[i]!;
      const floor = most - 2 * points;
      for (let i = 0; i < n; i++) if (ts[i]!.available(now) && counts[i]! < floor) counts[i] = floor;
    }
    let best: Target | null = null;
    let anyAvailable = false;
    for (let k = 0; k < n; k++) {
      const t = ts[(this.#cursor + k) % n]!;
      if (!t.available(now)) continue;
      anyAvailable = true;
      if (t.inFlight >= this.maxInFlight) continue;
      if (best === null) best = t;
      else if (roundRobin ? counts[t.index]! < counts[best.index]! : t.inFlight < best.inFlight) best = t;
    }
    if (best === null) return anyAvailable ? { kind: 'busy' } : { kind: 'none' };
    counts[best.index]! += points;
    this.#cursor = (best.index + 1) % n;
    return { kind: 'target', target: best };
  }

  /** Affinity: the points grouped by the receiver their key belongs to now. */
  partition(points: readonly Point[]): Group[] {
    const ts = this.targets;
    const chosen = new Map<string, Target | null>();
    const groups = new Map<Target | null, Point[]>();
    for (let i = 0; i < points.length; i++) {
      const pt = points[i]!;
      const key = this.keyOf(pt);
      let t = chosen.get(key);
      if (t === undefined) {
        t = null;
        let best = -1;
        for (let j = 0; j < ts.length; j++) {
          if (ts[j]!.state !== 'healthy') continue;
          const w = weight(this.#seeds[j]!, key);
          if (w > best) {
            best = w;
            t = ts[j]!;
          }
        }
        chosen.set(key, t);
      }
      const g = groups.get(t);
      if (g === undefined) groups.set(t, [pt]);
      else g.push(pt);
    }
    const out: Group[] = [];
    for (const [target, pts] of groups) out.push({ target, points: pts });
    return out;
  }

  /** The affinity key of a point: its `affinity_keys` values (tag or field), NUL-joined. */
  keyOf(pt: Point): string {
    const keys = this.#keys;
    let key = '';
    for (let i = 0; i < keys.length; i++) {
      const v = pt.get(keys[i]!);
      if (i > 0) key += '\u0000';
      if (v === undefined || v === null) continue;
      key += typeof v !== 'object' || v instanceof UInt ? String(v) : '';
    }
    return key;
  }
}
