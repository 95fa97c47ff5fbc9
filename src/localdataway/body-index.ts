/**
 * What the store indexes of a body: its point count and, per measurement
 * name, how many points and the newest point time (a "run", what queries
 * for the newest points walk; see newest-points.ts). Built from decoded
 * points or, for protobuf, straight from the wire (pb-index.ts).
 */

export interface NameRun {
  name: string;
  points: number;
  maxTime: bigint;
}

export interface BodyIndex {
  points: number;
  /** In first-seen order. */
  runs: NameRun[];
}

const MIN_INT64 = -(2n ** 63n);

/** Collects a body's points one by one; a body almost always holds one measurement. */
export class IndexBuilder {
  #points = 0;
  readonly #runs: NameRun[] = [];
  #last: NameRun | null = null;
  #byName: Map<string, NameRun> | null = null;

  add(name: string, time: bigint): void {
    this.#points++;
    let r = this.#last;
    if (r === null || r.name !== name) {
      r = this.#find(name);
      this.#last = r;
    }
    r.points++;
    if (time > r.maxTime) r.maxTime = time;
  }

  finish(): BodyIndex {
    return { points: this.#points, runs: this.#runs };
  }

  #find(name: string): NameRun {
    const runs = this.#runs;
    if (runs.length === 0) {
      const r = { name, points: 0, maxTime: MIN_INT64 };
      runs.push(r);
      return r;
    }
    let byName = this.#byName;
    if (byName === null) {
      byName = new Map();
      for (let i = 0; i < runs.length; i++) byName.set(runs[i]!.name, runs[i]!);
      this.#byName = byName;
    }
    let r = byName.get(name);
    if (r === undefined) {
      r = { name, points: 0, maxTime: MIN_INT64 };
      runs.push(r);
      byName.set(name, r);
    }
    return r;
  }
}

/** The index of points already decoded (anything with a name and a time). */
export function indexPoints(points: readonly { name: string; time: bigint }[]): BodyIndex {
  const b = new IndexBuilder();
  for (let i = 0; i < points.length; i++) b.add(points[i]!.name, points[i]!.time);
  return b.finish();
}
