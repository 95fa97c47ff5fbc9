import { describe, expect, it } from 'vitest';
import { goBenchmarkResult, goDuration } from '../../../src/pipeline/scripts/go-format.js';
import { plainJson } from '../../../src/pipeline/scripts/plain-json.js';
import { findCycle, type UseNode } from '../../../src/pipeline/scripts/use-graph.js';
import { UInt } from '../../../src/point/value.js';

describe('goDuration', () => {
  it.each<[number | bigint, string]>([
    [0, '0s'],
    [999, '999ns'],
    [1000, '1µs'],
    [421_705, '421.705µs'],
    [1_500, '1.5µs'],
    [2_300_000, '2.3ms'],
    [6_870_210, '6.87021ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [90_000_000_000, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [-2_300_000, '-2.3ms'],
  ])('%s ns → %s', (ns, want) => {
    expect(goDuration(ns)).toBe(want);
  });
});

describe('goBenchmarkResult', () => {
  it.each<[number, number, string]>([
    [200000, 5432.4, '  200000\t      5432 ns/op'],
    [1000000, 123.45, ' 1000000\t       123.5 ns/op'],
    [50000000, 21.5, '50000000\t        21.50 ns/op'],
    [1, 1.5e9, '       1\t1500000000 ns/op'],
    [100, 0, '     100'],
  ])('%d at %d', (n, ns, want) => {
    expect(goBenchmarkResult(n, ns)).toBe(want);
  });
});

describe('plainJson', () => {
  it('writes int64 and uint64 exactly, bytes as base64, non-finite floats as null', () => {
    expect(
      plainJson({
        i: 9223372036854775807n,
        u: new UInt(18446744073709551615n),
        f: 0.5,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        s: 'a"b',
        b: true,
        d: new Uint8Array([104, 105]),
        a: [1n, 2n],
        n: null,
        skip: undefined,
        m: new Map([['k', 1n]]),
      }),
    ).toBe(
      '{"i":9223372036854775807,"u":18446744073709551615,"f":0.5,"nan":null,"inf":null,"s":"a\\"b","b":true,"d":"aGk=","a":[1,2],"n":null,"m":{"k":1}}',
    );
  });
});

describe('findCycle', () => {
  const g = (edges: Record<string, string[]>): Map<string, UseNode> =>
    new Map(Object.entries(edges).map(([k, v]) => [k, { uses: v.map((name) => ({ name, pos: 0 })) }]));
  it.each<[string, Record<string, string[]>, string[] | null]>([
    ['empty', {}, null],
    ['chain', { a: ['b'], b: ['c'], c: [] }, null],
    ['missing target', { a: ['zz'] }, null],
    ['diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, null],
    ['self', { a: ['a'] }, ['a', 'a']],
    ['pair', { a: ['b'], b: ['a'] }, ['a', 'b', 'a']],
    ['tail into loop', { a: ['b'], b: ['c'], c: ['b'] }, ['b', 'c', 'b']],
  ])('%s', (_label, edges, want) => {
    expect(findCycle(g(edges))).toEqual(want);
  });
});
