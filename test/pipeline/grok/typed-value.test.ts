import { describe, expect, it } from 'vitest';
import { castGrokValue } from '../../../src/pipeline/grok/index.js';

describe('castGrokValue (Go strconv via spf13/cast; zero value on failure)', () => {
  // Expected values come from Go 1.19: ParseInt(trimZeroDecimal(s), 0, 0),
  // ParseFloat(s, 64), ParseBool(s), with 0 / 0 / false on error.
  it.each<[string, bigint, number, boolean]>([
    ['12', 12n, 12, false],
    ['-12', -12n, -12, false],
    ['+7', 7n, 7, false],
    ['12.0', 12n, 12, false],
    ['12.00', 12n, 12, false],
    ['12.50', 0n, 12.5, false],
    ['12.', 0n, 12, false],
    ['010', 8n, 10, false],
    ['08', 0n, 8, false],
    ['0x1F', 31n, 0, false],
    ['0X1f', 31n, 0, false],
    ['0o17', 15n, 0, false],
    ['0b101', 5n, 0, false],
    ['0x', 0n, 0, false],
    ['0', 0n, 0, false],
    ['-0', 0n, -0, false],
    ['1_000', 1000n, 1000, false],
    ['1__0', 0n, 0, false],
    ['_1', 0n, 0, false],
    ['1_', 0n, 0, false],
    ['0x_1F', 31n, 0, false],
    ['9223372036854775807', 9223372036854775807n, 9.223372036854776e18, false],
    ['9223372036854775808', 0n, 9.223372036854776e18, false],
    ['-9223372036854775808', -9223372036854775808n, -9.223372036854776e18, false],
    ['-9223372036854775809', 0n, -9.223372036854776e18, false],
    [' 1', 0n, 0, false],
    ['1e3', 0n, 1000, false],
    ['1.5', 0n, 1.5, false],
    ['-.5', 0n, -0.5, false],
    ['.5', 0n, 0.5, false],
    ['5.', 0n, 5, false],
    ['1e', 0n, 0, false],
    ['1e+2', 0n, 100, false],
    ['0x1p-2', 0n, 0.25, false],
    ['0x1.8p1', 0n, 3, false],
    ['0x1', 1n, 0, false],
    ['inf', 0n, Number.POSITIVE_INFINITY, false],
    ['+Inf', 0n, Number.POSITIVE_INFINITY, false],
    ['-infinity', 0n, Number.NEGATIVE_INFINITY, false],
    ['NaN', 0n, Number.NaN, false],
    ['nan', 0n, Number.NaN, false],
    ['+nan', 0n, 0, false],
    ['infin', 0n, 0, false],
    ['1e400', 0n, 0, false],
    ['1e-400', 0n, 0, false],
    ['1_000.5', 0n, 1000.5, false],
    ['1_.5', 0n, 0, false],
    ['abc', 0n, 0, false],
    ['', 0n, 0, false],
    ['t', 0n, 0, true],
    ['T', 0n, 0, true],
    ['TRUE', 0n, 0, true],
    ['True', 0n, 0, true],
    ['tRUE', 0n, 0, false],
    ['yes', 0n, 0, false],
    ['1', 1n, 1, true],
    ['0', 0n, 0, false],
    ['f', 0n, 0, false],
    ['False', 0n, 0, false],
  ])('%j -> int %s, float %s, bool %s', (s, int, float, bool) => {
    expect(castGrokValue('int', s)).toBe(int);
    expect(castGrokValue('float', s)).toBe(float);
    expect(castGrokValue('bool', s)).toBe(bool);
    expect(castGrokValue('str', s)).toBe(s);
    expect(castGrokValue(null, s)).toBe(s);
  });
});
