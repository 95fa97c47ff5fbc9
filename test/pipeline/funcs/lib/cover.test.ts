import { describe, expect, it } from 'vitest';
import { cover } from '../../../../src/pipeline/funcs/lib/cover.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

describe('cover', () => {
  it.each([
    ['13838130517', 8, 13, '1383813****'],
    ['13838130517', 2, 4, '1***8130517'],
    ['13838130517', 1, 1, '*3838130517'],
    ['13838130517', 0, 3, null], // start 0 counts from the end (12), past end 3
    ['13838130517', -3, -1, '13838130***'],
    ['13838130517', 1, -1, '***********'],
    ['刘少波', 1, 100, '＊＊＊'],
    ['刘a波', 1, 3, '＊*＊'],
    ['刘少波', 3, 2, null],
    ['😀😀😀', 2, 2, '😀*😀'],
    ['', 1, 1, null],
    ['abc', 2.9, 3.1, 'a**'], // float bounds truncate like Go's int()
  ])('cover(%j, [%d, %d])', (s, a, b, want) => {
    expect(cover(s, a, b)).toBe(want);
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('cover'), () => {
  const cases = casesFor('cover');
  const shape = /cover\(\s*`?(\w+)`?\s*,\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\)/;
  // string fields only: numbers are left alone by the function's caller
  const applicable = cases.filter((c) => {
    if (outFields(c) === null || !shape.test(c.pl)) return false;
    const key = shape.exec(c.pl)![1]!;
    return typeof (JSON.parse(c.in) as Record<string, unknown>)[key] === 'string';
  });

  it('covers every vector that masks a string field', () => {
    expect(cases.length).toBe(20);
    expect(applicable.length).toBe(8);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const [, key, a, b] = shape.exec(c.pl)!;
    const input = (JSON.parse(c.in) as Record<string, string>)[key!]!;
    const got = cover(input, Number(a), Number(b));
    expect(outFields(c)![key!]!.s).toBe(got ?? input);
  });
});
