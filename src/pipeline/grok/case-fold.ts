/**
 * Case-folding orbits for RE2's `(?i)`: the set of code points that match
 * each other case-insensitively (`k`, `K` and KELVIN SIGN U+212A form one).
 *
 * Why not the JavaScript `i` flag: Node 20 has no inline modifiers, so a
 * `(?i)` that covers only part of a pattern has to be spelled out as classes
 * (`[kK\u212A]`). The orbits are derived once, lazily, from the engine's own
 * single-code-point case mappings (about 30 ms, only when some pattern uses
 * `(?i)`); the few places where Unicode simple case folding differs from the
 * plain upper/lower mappings are patched by hand below.
 */

/** Turkish dotted/dotless i map to I/i only under full or Turkic folding, never in RE2. */
const NO_FOLD = new Set([0x130, 0x131]);

/** Simple-folding pairs that plain upper/lower mappings do not reveal. */
const EXTRA_PAIRS: readonly (readonly [number, number])[] = [
  [0x390, 0x1fd3],
  [0x3b0, 0x1fe3],
  [0xfb05, 0xfb06],
];

/** Highest code point with a case mapping (Adlam is the last cased script). */
const SCAN_END = 0x1ffff;

interface FoldTables {
  orbit: Map<number, readonly number[]>;
  /** Every code point that has an orbit, ascending. */
  cased: Int32Array;
}

let tables: FoldTables | null = null;

function singleCodePoint(s: string): number {
  const cp = s.codePointAt(0)!;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
}

function build(): FoldTables {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (let cp = 0; cp <= SCAN_END; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (NO_FOLD.has(cp)) continue;
    const s = String.fromCodePoint(cp);
    const lo = singleCodePoint(s.toLowerCase());
    const up = singleCodePoint(s.toUpperCase());
    if (lo !== -1 && lo !== cp && !NO_FOLD.has(lo)) union(cp, lo);
    if (up !== -1 && up !== cp && !NO_FOLD.has(up)) union(cp, up);
  }
  for (const [a, b] of EXTRA_PAIRS) union(a, b);

  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const r = find(cp);
    let g = groups.get(r);
    if (g === undefined) groups.set(r, (g = []));
    g.push(cp);
  }
  const orbit = new Map<number, readonly number[]>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a - b);
    Object.freeze(g);
    for (const cp of g) orbit.set(cp, g);
  }
  const cased = Int32Array.from(orbit.keys()).sort();
  return { orbit, cased };
}

function getTables(): FoldTables {
  if (tables === null) tables = build();
  return tables;
}

/** All code points equivalent to `cp` under `(?i)` (ascending), or undefined when `cp` has no case. */
export function caseOrbit(cp: number): readonly number[] | undefined {
  return getTables().orbit.get(cp);
}

/** Every code point that has case variants, ascending. */
export function casedCodePoints(): Int32Array {
  return getTables().cased;
}

/**
 * Add to `out` (flat lo,hi pairs) the case variants of every code point in
 * the given ranges; the ranges themselves are not repeated.
 */
export function foldExtras(ranges: readonly number[], out: number[]): void {
  const cased = casedCodePoints();
  const orbit = getTables().orbit;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i]!;
    const hi = ranges[i + 1]!;
    let k = lowerBound(cased, lo);
    for (; k < cased.length && cased[k]! <= hi; k++) {
      const members = orbit.get(cased[k]!)!;
      for (let j = 0; j < members.length; j++) {
        const m = members[j]!;
        if (m < lo || m > hi) out.push(m, m);
      }
    }
  }
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
