import { describe, expect, it } from 'vitest';
import { type FloatFmt, formatFloat } from '../../../../src/pipeline/funcs/lib/go-float-format.js';
import { parseGoFloat, scaleToDouble } from '../../../../src/pipeline/funcs/lib/go-parse-float.js';
import { canBackquote, quote, quoteRune } from '../../../../src/pipeline/funcs/lib/go-quote.js';

describe('formatFloat (strconv.FormatFloat, 64 bits)', () => {
  it.each<[number, FloatFmt, number, string]>([
    [0, 'g', -1, '0'],
    [-0, 'g', -1, '-0'],
    [0, 'e', -1, '0e+00'],
    [0, 'f', 2, '0.00'],
    [1, 'e', 3, '1.000e+00'],
    [123456, 'g', -1, '123456'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [100, 'g', 2, '1e+02'],
    [100, 'g', 3, '100'],
    [0.5, 'f', 0, '0'],
    [1.5, 'f', 0, '2'],
    [2.5, 'f', 0, '2'],
    [0.125, 'f', 2, '0.12'],
    [0.375, 'f', 2, '0.38'],
    [1.005, 'f', 2, '1.00'], // 1.005 is really 1.00499999…
    [0.009, 'f', 2, '0.01'],
    [0.0009, 'f', 2, '0.00'],
    [9.995, 'e', 2, '9.99e+00'],
    [999.9, 'e', 0, '1e+03'],
    [1e100, 'e', -1, '1e+100'],
    [1e100, 'f', -1, `1${'0'.repeat(100)}`],
    [5e-324, 'g', -1, '5e-324'],
    [5e-324, 'e', 3, '4.941e-324'],
    [2 ** 53 + 2, 'f', -1, '9007199254740994'],
    [0.1, 'f', 20, '0.10000000000000000555'],
    [1 / 3, 'g', 5, '0.33333'],
    [123.456, 'E', -1, '1.23456E+02'],
    [1e21, 'G', -1, '1E+21'],
    [1, 'b', -1, '4503599627370496p-52'],
    [5e-324, 'b', -1, '1p-1074'],
    [1, 'x', -1, '0x1p+00'],
    [-0.1, 'x', -1, '-0x1.999999999999ap-04'],
    [1.25, 'x', 0, '0x1p+00'],
    [1.5, 'x', 0, '0x1p+01'], // rounds half to even: 2 = 0x1p+01
    [1.75, 'x', 0, '0x1p+01'],
    [3.0, 'X', 3, '0X1.800P+01'],
    [1e300, 'x', -1, '0x1.7e43c8800759cp+996'],
    [5e-324, 'x', -1, '0x1p-1074'],
    [0, 'x', -1, '0x0p+00'],
    [Number.NaN, 'f', 2, 'NaN'],
    [Number.POSITIVE_INFINITY, 'e', 2, '+Inf'],
    [Number.NEGATIVE_INFINITY, 'g', -1, '-Inf'],
  ])('formatFloat(%d, %s, %d)', (v, f, p, want) => {
    expect(formatFloat(v, f, p)).toBe(want);
  });
});

describe('parseGoFloat (strconv.ParseFloat)', () => {
  it.each([
    ['1', 1],
    ['-1.5e3', -1500],
    ['.5', 0.5],
    ['5.', 5],
    ['+0', 0],
    ['1e-400', 0],
    ['0x1p-2', 0.25],
    ['0X1.8P1', 3],
    ['0x_1p0', 1],
    ['0x1p-1074', 5e-324],
    ['0x1p-1075', 0], // exact tie rounds to even (zero)
    ['0x3p-1075', 1e-323], // tie rounds up to the even neighbour
    ['0x1.fffffffffffff8p1023', Number.NaN], // rounds past the largest double: range error
    ['Inf', Number.POSITIVE_INFINITY],
    ['-infinity', Number.NEGATIVE_INFINITY],
    ['nan', Number.NaN],
  ])('%j', (s, want) => {
    const r = parseGoFloat(s);
    if (Number.isNaN(want) && s !== 'nan') expect(r).toBeInstanceOf(Error);
    else expect(r).toBe(want);
  });

  it.each([
    [''],
    [' 1'],
    ['1_000'],
    ['1e'],
    ['0x1'],
    ['+nan'],
    ['1e400'],
    ['-1e400'],
    ['0x'],
    ['1.2.3'],
    ['٣'],
  ])('rejects %j', (s) => {
    expect(parseGoFloat(s)).toBeInstanceOf(Error);
  });

  it('scales big mantissas with one rounding', () => {
    expect(scaleToDouble((1n << 60n) + 1n, -60)).toBe(1);
    expect(scaleToDouble(3n, 1023)).toBe(Number.POSITIVE_INFINITY);
    expect(scaleToDouble(1n, 1023)).toBe(2 ** 1023);
  });
});

describe('quote helpers (strconv)', () => {
  it.each([
    ['abc', '"abc"', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"', '"a\\"b\\\\c"'],
    [
      '\n\t\r\u0007\u0008\u000b\u000c\u0000\u007f',
      '"\\n\\t\\r\\a\\b\\v\\f\\x00\\x7f"',
      '"\\n\\t\\r\\a\\b\\v\\f\\x00\\x7f"',
    ],
    ['é世😀', '"é世😀"', '"\\u00e9\\u4e16\\U0001f600"'],
    ['\u00a0\u2028\u00ad', '"\\u00a0\\u2028\\u00ad"', '"\\u00a0\\u2028\\u00ad"'],
    ['\ud800', '"�"', '"\\ufffd"'],
  ])('quote(%j)', (s, want, ascii) => {
    expect(quote(s)).toBe(want);
    expect(quote(s, true)).toBe(ascii);
  });

  it('quotes runes', () => {
    expect(quoteRune(0x41)).toBe("'A'");
    expect(quoteRune(0x27)).toBe("'\\''");
    expect(quoteRune(0xd800)).toBe("'�'");
    expect(quoteRune(0x4e16, true)).toBe("'\\u4e16'");
  });

  it.each([
    ['plain text', true],
    ['tab\there', true],
    ['a`b', false],
    ['new\nline', false],
    ['\ufeffbom', false],
    ['é', true],
  ])('canBackquote(%j)', (s, want) => {
    expect(canBackquote(s)).toBe(want);
  });
});
