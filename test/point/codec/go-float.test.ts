/** Floats as Go's strconv.FormatFloat(f, 'f', -1, 64) writes them (expected strings from Go). */
import { describe, expect, it } from 'vitest';
import { formatGoFloat } from '../../../src/point/codec/go-float.js';

describe('formatGoFloat', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-1, '-1'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.25, '0.25'],
    [1 / 3, '0.3333333333333333'],
    [0.0015, '0.0015'],
    [1e10, '10000000000'],
    [Number('123456789012345678'), '123456789012345680'],
    [2 ** 53, '9007199254740992'],
    [1e20, '100000000000000000000'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [-2.5e25, '-25000000000000000000000000'],
    [0.000001, '0.000001'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [1.2345678e-8, '0.000000012345678'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('%d → %s', (v, want) => {
    expect(formatGoFloat(v)).toBe(want);
  });

  it('writes the extremes in full', () => {
    expect(formatGoFloat(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    expect(formatGoFloat(Number.MAX_VALUE)).toBe(`17976931348623157${'0'.repeat(292)}`);
  });

  it('always reads back to the same float', () => {
    for (const v of [Math.PI, Math.E, 1e300, 1e-300, 7.123e-5, 4.35e21, -9.87654321e-12]) {
      expect(Number(formatGoFloat(v))).toBe(v);
      expect(formatGoFloat(v)).not.toContain('e');
    }
  });
});
