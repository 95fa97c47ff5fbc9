import { describe, expect, it } from 'vitest';
import { castToFloat64, deepEqual, groupBetween, groupIn } from '../../../../src/pipeline/funcs/lib/group.js';
import type { LibValue } from '../../../../src/pipeline/funcs/lib/value.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, type TypedField, vectorSuite } from './vectors.js';

describe('castToFloat64 (spf13/cast)', () => {
  it.each<[LibValue, number]>([
    [200n, 200],
    [2.5, 2.5],
    [true, 1],
    [false, 0],
    [null, 0],
    ['250', 250],
    [' 250', 0],
    ['1e3', 1000],
    ['0x10p0', 16],
    ['1_000', 0],
    ['inf', Number.POSITIVE_INFINITY],
    ['1e400', 0],
    ['abc', 0],
    [[1n], 0],
    [{ a: 1n }, 0],
  ])('%s -> %d', (v, want) => {
    expect(castToFloat64(v)).toBe(want);
  });
});

describe('groupBetween', () => {
  it.each<[LibValue, number, number, boolean]>([
    [200, 200, 400, true],
    [200n, 200, 299, true],
    [300, 200, 299, false],
    ['250', 200, 299, true],
    ['x', -1, 1, true], // unparsable strings count as 0
    [true, 1, 1, true],
    [Number.NaN, 0, 1, false],
  ])('%s in [%d, %d]', (v, a, b, want) => {
    expect(groupBetween(v, a, b)).toBe(want);
  });
});

describe('groupIn / deepEqual (reflect.DeepEqual)', () => {
  it.each<[LibValue, LibValue[], boolean]>([
    [true, [true], true],
    ['aa', [true], false],
    ['test', [200n, 'test'], true],
    [200, [200n], false], // float 200 is not int 200
    [200n, [200n], true],
    [null, [null], true],
    [[1n, 'a'], [[1n, 'a']], true],
    [[1n, 'a'], [[1n]], false],
    [{ a: [1n] }, [{ a: [1n] }], true],
    [{ a: 1n }, [{ a: 1n, b: 2n }], false],
    [{ a: 1n }, [[1n]], false],
    [Number.NaN, [Number.NaN], false],
    ['x', [], false],
  ])('%s in %s', (v, set, want) => {
    expect(groupIn(v, set)).toBe(want);
  });

  it('compares map keys by own properties only', () => {
    expect(deepEqual({ toString: 1n }, { toString: 1n })).toBe(true);
    expect(deepEqual({ a: 1n }, { b: 1n })).toBe(false);
  });
});

/** A PL literal (number, string, bool) as a script value. */
function literal(src: string): LibValue {
  const s = src.trim();
  if (s === 'true' || s === 'false') return s === 'true';
  if (s.startsWith('"')) return JSON.parse(s) as string;
  return /^-?\d+$/.test(s) ? BigInt(s) : Number(s);
}

function typedEquals(f: TypedField | undefined, v: LibValue): boolean {
  if (f === undefined) return false;
  if (typeof v === 'bigint') return f.i === v.toString();
  if (typeof v === 'boolean') return f.b === v;
  if (typeof v === 'number') return f.f === v;
  return f.s !== undefined && f.s.toLowerCase() === String(v).toLowerCase();
}

function jsonValue(v: unknown): LibValue {
  return v as LibValue; // JSON numbers are floats, as in Go
}

describe.skipIf(SHARED_DIR === null)(vectorSuite('group_between / group_in'), () => {
  const shape = /group_(between|in)\(\s*(\w+)\s*,\s*\[([^\]]*)\]\s*,\s*([^,)]+?)\s*(?:,\s*"?(\w+)"?\s*)?\)/;
  const cases = [...casesFor('group_between'), ...casesFor('group_in')];
  // one-line scripts are compile errors; the grok benchmark and the doc
  // block without input exercise other functions
  const applicable = cases.filter(
    (c) => outFields(c) !== null && c.in.startsWith('{') && (c.pl.match(/group_/g) ?? []).length === 1,
  );

  it('covers every vector with a single group call on JSON input', () => {
    expect(cases.length).toBe(30);
    expect(applicable.length).toBe(14);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const [, kind, key, list, value, newKey] = shape.exec(c.pl)!;
    const input = jsonValue((JSON.parse(c.in) as Record<string, unknown>)[key!]);
    const items = list!
      .split(',')
      .filter((x) => x.trim() !== '')
      .map(literal);
    const hit =
      kind === 'between' ? groupBetween(input, Number(items[0]), Number(items[1])) : groupIn(input, items);
    const target = newKey ?? key!;
    expect(typedEquals(outFields(c)![target], literal(value!))).toBe(hit);
  });
});
