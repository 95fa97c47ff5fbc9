import { describe, expect, it } from 'vitest';
import { pickNewest, type Run } from '../../src/localdataway/newest-points.js';
import type { StoredPoint } from '../../src/localdataway/stored-body.js';

/** Bodies of `size` points each; `timeOf(body, i)` gives each point's time. */
function fixture(bodies: number, size: number, timeOf: (body: number, i: number) => bigint, name = 'm') {
  const data = new Map<number, StoredPoint[]>();
  const runs: Run[] = [];
  for (let b = 1; b <= bodies; b++) {
    const pts: StoredPoint[] = [];
    let max = -(2n ** 63n);
    for (let i = 0; i < size; i++) {
      const time = timeOf(b, i);
      if (time > max) max = time;
      pts.push({ name, time, point: null, text: `${b}.${i}` });
    }
    data.set(b, pts);
    runs.push({ bodyId: b, maxTime: max });
  }
  runs.sort((x, y) => (x.maxTime !== y.maxTime ? (x.maxTime > y.maxTime ? -1 : 1) : y.bodyId - x.bodyId));
  const loaded: number[] = [];
  const load = (id: number) => {
    loaded.push(id);
    return data.get(id)!;
  };
  return { runs, load, loaded };
}

const texts = (pts: StoredPoint[]) => pts.map((p) => p.text);

describe('pickNewest', () => {
  const cases: [string, (b: number, i: number) => bigint, number, string[], number[]][] = [
    ['times growing with arrival', (b, i) => BigInt(b * 10 + i), 3, ['100.7', '100.8', '100.9'], [100]],
    [
      'all times equal: latest arrivals',
      () => 5n,
      12,
      ['99.8', '99.9', ...Array.from({ length: 10 }, (_, i) => `100.${i}`)],
      [100, 99],
    ],
    ['times falling with arrival', (b, i) => BigInt(-b * 10 + i), 2, ['1.8', '1.9'], [1]],
    ['limit above the total', (b) => BigInt(b % 2), 10_000, [], []],
  ];
  it.each(cases)('%s', (_, timeOf, limit, want, loaded) => {
    const f = fixture(100, 10, timeOf);
    const got = pickNewest(f.runs, limit, 'm', f.load);
    if (limit >= 1000) {
      expect(got).toHaveLength(1000);
      expect(f.loaded).toHaveLength(100);
      // Oldest first: time 0 bodies (even), then time 1 bodies (odd), each by arrival.
      expect(got[0]!.text).toBe('2.0');
      expect(got[999]!.text).toBe('99.9');
      return;
    }
    expect(texts(got)).toEqual(want);
    expect(f.loaded).toEqual(loaded);
  });

  it('keeps only the named measurement and returns nothing without runs', () => {
    const f = fixture(3, 4, (b, i) => BigInt(b * 10 + i));
    f.load(1).push({ name: 'other', time: 5n, point: null, text: 'x' });
    expect(texts(pickNewest(f.runs, 100, 'm', f.load))).not.toContain('x');
    expect(texts(pickNewest(f.runs, 100, 'm', f.load))).toHaveLength(12);
    expect(texts(pickNewest(f.runs, 100, undefined, f.load))[0]).toBe('x');
    expect(pickNewest([], 5, 'm', f.load)).toEqual([]);
  });

  it('decodes a body once when several of its runs come up in a category-wide walk', () => {
    const f = fixture(2, 3, (b, i) => BigInt(b * 10 + i));
    const runs: Run[] = [
      { bodyId: 2, maxTime: 22n },
      { bodyId: 2, maxTime: 21n },
      { bodyId: 1, maxTime: 12n },
    ];
    expect(texts(pickNewest(runs, 4, undefined, f.load))).toEqual(['1.2', '2.0', '2.1', '2.2']);
    expect(f.loaded).toEqual([2, 1]);
  });
});
