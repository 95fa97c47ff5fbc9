import { describe, expect, it } from 'vitest';
import { sliceString } from '../../../../src/pipeline/funcs/lib/slice-string.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

describe('sliceString', () => {
  it.each([
    ['█汉字15384073392', 0, 5, '█汉字15'],
    ['15384073392', 5, 10, '07339'],
    ['abcdefghijklmnop', -1, 10, ''],
    ['abcdefghijklmnop', 0, 100, 'abcdefghijklmnop'],
    ['abc', 3, 3, ''],
    ['abc', 4, 5, ''],
    ['abc', 2, 1, ''],
    ['abc', 1, -1, ''],
    ['😀a😀', 1, 3, 'a😀'],
    ['', 0, 0, ''],
  ])('sliceString(%j, %d, %d)', (s, a, b, want) => {
    expect(sliceString(s, BigInt(a), BigInt(b))).toBe(want);
  });

  it('accepts huge bounds without overflow', () => {
    expect(sliceString('abc', 0n, 2n ** 62n)).toBe('abc');
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('slice_string'), () => {
  const cases = casesFor('slice_string');
  const shape = /slice_string\(\s*("(?:[^"\\]|\\.)*"|val)\s*,\s*(-?\d+)\s*,\s*(-?\d+|len\(val\))\s*\)/;
  // the rest are compile errors or (the doc block) produce no output field
  const applicable = cases.filter((c) => outFields(c)?.result !== undefined);

  it('covers every vector that returns a result', () => {
    expect(cases.length).toBe(12);
    expect(applicable.length).toBe(6);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const [, src, a, b] = shape.exec(c.pl)!;
    const s =
      src === 'val'
        ? (JSON.parse(/val = ("[^"]*")/.exec(c.pl)![1]!) as string)
        : (JSON.parse(src!) as string);
    // len() is Go's byte length
    const end = b === 'len(val)' ? BigInt(Buffer.byteLength(s, 'utf8')) : BigInt(b!);
    expect(sliceString(s, BigInt(a!), end)).toBe(outFields(c)!.result!.s);
  });
});
