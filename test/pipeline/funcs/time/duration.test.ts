/** parse_duration (Go's time.ParseDuration) and duration_precision. */
import { describe, expect, it } from 'vitest';
import { durationPrecision, parseDuration } from '../../../../src/pipeline/funcs/time/index.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['+5s', 5_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['1h15m30.918273645s', 4_530_918_273_645n],
    ['-2.3s', -2_300_000_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5_000_000_000n],
    ['1µs', 1000n],
    ['1μs', 1000n],
    ['1us', 1000n],
    ['100ns', 100n],
    ['0.1ns', 0n],
    ['1ms1ns', 1_000_001n],
    ['9223372036854775807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['2562047h47m16.854775807s', 9223372036854775807n],
  ])('%s', (text, ns) => {
    expect(parseDuration(text)).toEqual({ ok: true, ns });
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1uuus', 'time: unknown unit "uuus" in duration "1uuus"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1 s', 'time: unknown unit " s" in duration "1 s"'],
    ['3µ', 'time: unknown unit "\\xc2\\xb5" in duration "3\\xc2\\xb5"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['99999999999999999999s', 'time: invalid duration "99999999999999999999s"'],
  ])('%j fails', (text, error) => {
    expect(parseDuration(text)).toEqual({ ok: false, error });
  });
});

describe('durationPrecision', () => {
  it.each([
    [12345n, 'ms', 'ns', 12345000000n],
    [12345000n, 'ms', 's', 12345n],
    [-12345678n, 'NS', 'ms', -12n],
    [7n, 's', 's', 7n],
    [9223372036854775807n, 's', 'ns', BigInt.asIntN(64, 9223372036854775807n * 1_000_000_000n)],
  ])('%s %s -> %s', (v, from, to, want) => {
    expect(durationPrecision(v, from, to)).toBe(want);
  });

  it('gives null for an unknown precision', () => {
    expect(durationPrecision(1n, 'm', 's')).toBeNull();
    expect(durationPrecision(1n, 's', '')).toBeNull();
    expect(durationPrecision(1n, 'toString', 's')).toBeNull();
  });
});
