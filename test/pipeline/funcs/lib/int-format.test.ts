import { describe, expect, it } from 'vitest';
import { formatInt } from '../../../../src/pipeline/funcs/lib/format-int.js';
import { goParseInt, parseIntBase, parseUint } from '../../../../src/pipeline/funcs/lib/parse-int.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

describe('formatInt (strconv.FormatInt)', () => {
  it.each([
    [17n, 16n, '11'],
    [7665324064912355185n, 16n, '6a60b39fd95aaf71'],
    [-255n, 16n, '-ff'],
    [MIN, 2n, `-1${'0'.repeat(63)}`],
    [35n, 36n, 'z'],
    [0n, 10n, '0'],
  ])('formatInt(%s, %s)', (v, b, want) => {
    expect(formatInt(v, b)).toBe(want);
  });

  it.each([[1n], [37n], [0n], [-16n]])('rejects base %s (a panic in Go)', (b) => {
    expect(formatInt(1n, b)).toBeInstanceOf(RangeError);
  });
});

describe('goParseInt (strconv.ParseInt, 64 bits)', () => {
  it.each([
    ['11', 16, 17n, null],
    ['7665324064912355185', 10, 7665324064912355185n, null],
    ['0x6a60b39fd95aaf71', 0, 7665324064912355185n, null],
    ['6A60B39FD95AAF71', 16, 7665324064912355185n, null],
    ['-0b101', 0, -5n, null],
    ['0o17', 0, 15n, null],
    ['017', 0, 15n, null],
    ['0', 0, 0n, null],
    ['1_000', 0, 1000n, null],
    ['+42', 10, 42n, null],
    ['9223372036854775807', 10, MAX, null],
    ['9223372036854775808', 10, MAX, 'range'],
    ['-9223372036854775808', 10, MIN, null],
    ['-9223372036854775809', 10, MIN, 'range'],
    ['99999999999999999999999x', 10, MAX, 'range'], // overflow is seen before the bad digit
    ['', 10, 0n, 'syntax'],
    ['-', 10, 0n, 'syntax'],
    ['08', 0, 0n, 'syntax'],
    ['0x', 0, 0n, 'syntax'],
    ['1_000', 10, 0n, 'syntax'],
    ['_1', 0, 0n, 'syntax'],
    ['1__0', 0, 0n, 'syntax'],
    ['12a', 10, 0n, 'syntax'],
    [' 1', 10, 0n, 'syntax'],
    ['1', 1, 0n, 'base'],
    ['1', 37, 0n, 'base'],
  ] as const)('ParseInt(%j, %d)', (s, base, value, err) => {
    expect(goParseInt(s, base)).toEqual({ value, err });
  });

  it('ParseUint keeps the full unsigned range', () => {
    expect(parseUint('18446744073709551615', 10)).toEqual({ value: 18446744073709551615n, err: null });
    expect(parseUint('18446744073709551616', 10)).toEqual({ value: 18446744073709551615n, err: 'range' });
  });

  it('parseIntBase drops the error like DataKit', () => {
    expect(parseIntBase('zz', 10n)).toBe(0n);
    expect(parseIntBase('ff', 16n)).toBe(255n);
    expect(parseIntBase('1', 1n << 40n)).toBe(0n);
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('parse_int / format_int'), () => {
  // These scripts check round trips with if/else and report "ok"; the
  // checks they make are restated here against the vectors' literals.
  const cases = [...casesFor('parse_int'), ...casesFor('format_int')];

  it('every vector reports ok', () => {
    expect(cases.length).toBe(10);
    for (const c of cases) expect(outFields(c)!.abc!.s).toBe('ok');
  });

  it('the round trips they check hold', () => {
    expect(formatInt(17n, 16n)).toBe('11');
    expect(parseIntBase('11', 16n)).toBe(17n);
    expect(formatInt(7665324064912355185n, 16n)).toBe('6a60b39fd95aaf71');
    expect(parseIntBase('6a60b39fd95aaf71', 16n)).toBe(7665324064912355185n);
    expect(formatInt(parseIntBase('7665324064912355185', 10n), 16n)).toBe('6a60b39fd95aaf71');
    expect(parseIntBase('0x6a60b39fd95aaf71', 0n)).toBe(7665324064912355185n);
    expect(`0x${formatInt(7665324064912355185n, 16n)}`).toBe('0x6a60b39fd95aaf71');
  });
});
