/**
 * Context around interesting logs: `point_window(before, after,
 * stream_tags)` and `window_hit()`.
 *
 * Each script has a pool of windows, one per stream (the values of the
 * stream tags, `filepath` and `host` by default). While no hit is pending,
 * every point of the stream takes a slot of the window's ring of `before`
 * slots: a point the script dropped is held there, a kept point leaves
 * its slot empty (it went on normally). A `window_hit()` releases the held
 * points, and the current point and the next `after - 1` points of the
 * stream are released too even when the script drops them. Released
 * points are emitted as extra points of the script's category.
 *
 * Only a run that called `point_window()` takes part; the first call of a
 * run counts, and a window keeps the sizes it was created with (DataKit's
 * rules). Held points go out oldest first (DataKit emits them in ring-slot
 * order, e.g. 3,1,2, an artefact not worth copying). Bounds DataKit does
 * not have: at most `maxStreams` windows per script (the least recently
 * used is forgotten with its held points) and rings of at most
 * `maxBefore` slots (10 000 by default).
 *
 * How the pipeline stage must use it, for every script run on a point:
 *
 *     const res = script.run(pt, opts);
 *     const released = windows.settle(pt, res.error ? 'failed' : res.dropped ? 'dropped' : 'kept');
 *     // `released` (possibly including pt itself) goes on as kept points of
 *     // the script's category, after pt when pt was kept.
 *
 * `settle` must be called once per run (also after a failed run, which
 * only forgets the registration, as DataKit skips the window then).
 */
import type { Point } from '../../point/point.js';

export interface PointWindowOptions {
  maxStreams?: number;
  maxBefore?: number;
}

export const WINDOW_DEFAULTS = { maxStreams: 10_000, maxBefore: 10_000 } as const;

export type RunOutcome = 'kept' | 'dropped' | 'failed';

/** The answer of nearly every settle: shared, so the hot path allocates nothing. */
const NONE = Object.freeze([]) as unknown as Point[];

/**
 * A ring of `size` slots holding dropped points (null = a kept point's
 * slot). The slot array grows to `size` as points arrive, so a large
 * window on a quiet stream costs nothing up front.
 */
class Ring {
  readonly size: number;
  readonly slots: (Point | null)[] = [];
  next = 0;

  constructor(size: number) {
    this.size = size;
  }

  put(pt: Point | null): void {
    if (this.slots.length < this.size) {
      this.slots.push(pt);
      return;
    }
    this.slots[this.next] = pt;
    this.next = (this.next + 1) % this.size;
  }

  /** The held points, oldest first; the ring is left empty. */
  drain(out: Point[]): void {
    const n = this.slots.length;
    for (let k = 0; k < n; k++) {
      const pt = this.slots[(this.next + k) % n];
      if (pt !== null && pt !== undefined) out.push(pt);
    }
    this.slots.length = 0;
    this.next = 0;
  }
}

export class PointWindow {
  readonly before: number;
  readonly after: number;
  readonly #ring: Ring | null;
  /** Points still to release after a hit (the hit point included). */
  #pending = 0;

  constructor(before: number, after: number) {
    this.before = before;
    this.after = after;
    this.#ring = before > 0 ? new Ring(before) : null;
  }

  hit(): void {
    this.#pending = this.after;
  }

  /** One point of the stream went by: `dropped` is the point when the script dropped it, else null. */
  move(dropped: Point | null): Point[] {
    if (this.#pending > 0) {
      this.#pending--;
      const out: Point[] = [];
      this.#ring?.drain(out);
      if (dropped !== null) out.push(dropped);
      return out;
    }
    this.#ring?.put(dropped);
    return NONE;
  }
}

/** The windows of one script, by stream. */
export class WindowPool {
  readonly #windows = new Map<string, PointWindow>();
  readonly #max: number;

  constructor(maxStreams: number) {
    this.#max = maxStreams;
  }

  get size(): number {
    return this.#windows.size;
  }

  /** The stream's window, created with these sizes when new. */
  window(key: string, before: number, after: number): PointWindow {
    let w = this.#windows.get(key);
    if (w !== undefined) {
      this.#windows.delete(key);
      this.#windows.set(key, w);
      return w;
    }
    w = new PointWindow(before, after);
    this.#windows.set(key, w);
    if (this.#windows.size > this.#max) this.#windows.delete(this.#windows.keys().next().value as string);
    return w;
  }
}

export class PointWindowService {
  readonly #maxStreams: number;
  readonly #maxBefore: number;
  readonly #pools = new WeakMap<object, WindowPool>();
  /** The window a point's current run registered with. */
  readonly #registered = new WeakMap<Point, PointWindow>();

  constructor(opts: PointWindowOptions = {}) {
    this.#maxStreams = opts.maxStreams ?? WINDOW_DEFAULTS.maxStreams;
    this.#maxBefore = opts.maxBefore ?? WINDOW_DEFAULTS.maxBefore;
  }

  /** The pool of the script identified by `script`. */
  pool(script: object): WindowPool {
    let p = this.#pools.get(script);
    if (p === undefined) {
      p = new WindowPool(this.#maxStreams);
      this.#pools.set(script, p);
    }
    return p;
  }

  /** `point_window()`: the first registration of a run wins. */
  register(pt: Point, script: object, before: number, after: number, streamKey: string): void {
    if (this.#registered.has(pt)) return;
    const b = Math.min(Math.max(0, before), this.#maxBefore);
    this.#registered.set(pt, this.pool(script).window(streamKey, b, after));
  }

  /** `window_hit()`: no-op unless the run registered. */
  hit(pt: Point): void {
    this.#registered.get(pt)?.hit();
  }

  /** After the run: the points to emit now (see the file comment); read-only. */
  settle(pt: Point, outcome: RunOutcome): Point[] {
    const w = this.#registered.get(pt);
    if (w === undefined) return NONE;
    this.#registered.delete(pt);
    if (outcome === 'failed') return NONE;
    return w.move(outcome === 'dropped' ? pt : null);
  }
}

/** The stream key of tag names and their values. */
export function streamKey(names: readonly string[], values: readonly string[]): string {
  return JSON.stringify([names, values]);
}
