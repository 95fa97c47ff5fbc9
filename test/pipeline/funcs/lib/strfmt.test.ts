import { describe, expect, it } from 'vitest';
import { type FmtArg, strfmt } from '../../../../src/pipeline/funcs/lib/strfmt.js';
import type { LibValue } from '../../../../src/pipeline/funcs/lib/value.js';
import { UInt } from '../../../../src/point/value.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, type TypedField, vectorSuite } from './vectors.js';

type Row = [string, FmtArg[], string];

describe('strfmt (Go fmt.Sprintf)', () => {
  it.each<Row>([
    // basic verbs per type
    ['%d %s %v', [2n, 'abc', true], '2 abc true'],
    ['%v|%v|%v|%v', [-7n, 2.3, 'x', false], '-7|2.3|x|false'],
    ['%t %v', [true, null], 'true <nil>'],
    [
      '%T %T %T %T %T %T %T',
      [1n, 1.5, 's', true, null, [1n], { a: 1n }],
      'int64 float64 string bool <nil> []interface {} map[string]interface {}',
    ],
    ['%T %T', [new UInt(1n), new Uint8Array([1])], 'uint64 []uint8'],
    // integers
    [
      '%b %o %O %x %X %#x %#X %#o %#b',
      [5n, 8n, 8n, 255n, 255n, 255n, 255n, 8n, 5n],
      '101 10 0o10 ff FF 0xff 0XFF 010 0b101',
    ],
    ['%x %d', [-255n, -9223372036854775808n], '-ff -9223372036854775808'],
    [
      '%5d|%-5d|%05d|%+d|% d|%+05d|%.3d|%8.3d|%.0d|%5.0d',
      [42n, 42n, -42n, 5n, 5n, 5n, 7n, 7n, 0n, 0n],
      '   42|42   |-0042|+5| 5|+0005|007|     007||     ',
    ],
    ['%c|%q|%U|%#U|%c', [0x4e16n, 0x41n, 0x1f600n, 0x41n, -1n], "世|'A'|U+1F600|U+0041 'A'|\ufffd"],
    ['%+q %q', [0x4e16n, 0x0an], "'\\u4e16' '\\n'"],
    [
      '%v %d %x',
      [new UInt(18446744073709551615n), new UInt(1n), new UInt(255n)],
      '18446744073709551615 1 ff',
    ],
    // floats
    ['%.4f|%.4f%d|%.4f%.1f', [2.3, 2.3, 3n, 2.3, 3.5], '2.3000|2.30003|2.30003.5'],
    [
      '%v %v %v %v %v %v %v',
      [1e6, 123456.0, 1e21, 0.0001, 1e-5, -0.0, 100000000.0],
      '1e+06 123456 1e+21 0.0001 1e-05 -0 1e+08',
    ],
    [
      '%f %e %E %g %G',
      [1234.5678, 1234.5678, 0.000123, 1e-7, 1e-7],
      '1234.567800 1.234568e+03 1.230000E-04 1e-07 1E-07',
    ],
    [
      '%.0f %.0f %.0f %.2f %.1f %.3g %.10g',
      [0.5, 1.5, 2.5, 0.125, 0.25, 1234.5678, 1.0 / 3],
      '0 2 2 0.12 0.2 1.23e+03 0.3333333333',
    ],
    [
      '%8.2f|%-8.2f|%08.2f|%+.2f|% .2f|%+08.2f',
      [3.14259, 3.14259, -3.14259, 3.0, 3.0, 3.0],
      '    3.14|3.14    |-0003.14|+3.00| 3.00|+0003.00',
    ],
    [
      '%v %v %v %5.1f %05v %+v',
      [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        1.5,
      ],
      'NaN +Inf -Inf   NaN  +Inf 1.5',
    ],
    [
      '%#g %#v %#.3x %x %X %b',
      [1.0, 1.5, 1.0, 1.5, -2.75, 1.0],
      '1.00000 1.5 0x1.000p+00 0x1.8p+00 -0X1.6P+01 4503599627370496p-52',
    ],
    ['%F %.1e %g %g', [1.5, 9.96, 1e20, 123456789.0], '1.500000 1.0e+01 1e+20 1.23456789e+08'],
    ['%v %.3e %.1f', [5e-324, 1.7976931348623157e308, 1e22], '5e-324 1.798e+308 10000000000000000000000.0'],
    // strings
    ['%5s|%-5s|%.2s|%5.1s|%05s', ['ab', 'ab', 'abc', 'xyz', 'ab'], '   ab|ab   |ab|    x|000ab'],
    [
      '%q|%+q|%#q|%#q',
      ['a"b\n\t\u0001é', 'é', 'back`tick', 'plain'],
      '"a\\"b\\n\\t\\x01é"|"\\u00e9"|"back`tick"|`plain`',
    ],
    [
      '%x|% x|%#x|% #X|%.1x|%6x',
      ['hi', 'hi', 'hi', 'hi', 'hi', 'hi'],
      '6869|68 69|0x6869|0X68 0X69|68|  6869',
    ],
    ['%s|%3s|%.1s', ['世界', '世', '世界'], '世界|  世|世'],
    // composites
    ['%v', [[1n, 'a', null, 2.5, { b: 1n, a: [true] }]], '[1 a <nil> 2.5 map[a:[true] b:1]]'],
    ['%d', [[1n, 'a', 2.5]], '[1 %!d(string=a) %!d(float64=2.5)]'],
    [
      '%#v',
      [[1n, 'a', null, { k: 'v' }, []]],
      '[]interface {}{1, "a", interface {}(nil), map[string]interface {}{"k":"v"}, []interface {}{}}',
    ],
    ['%v %s', [{ b: 'x', a: 'y', é: 'z', Z: 'w' }, { k: 1n }], 'map[Z:w a:y b:x é:z] map[k:%!s(int64=1)]'],
    ['%03d', [[1n, -2n]], '[001 -02]'],
    [
      '%v %s %x %d',
      [
        new Uint8Array([104, 105]),
        new Uint8Array([104, 105]),
        new Uint8Array([104, 105]),
        new Uint8Array([1, 2]),
      ],
      '[104 105] hi 6869 [1 2]',
    ],
    // Go's error notes
    ['%d %s %v', [null, null, null], '%!d(<nil>) %!s(<nil>) <nil>'],
    ['%s %d %t %e', [2n, 'x', 1n, true], '%!s(int64=2) %!d(string=x) %!t(int64=1) %!e(bool=true)'],
    ['%5.2d', ['abc'], '%!d(string=   ab)'],
    ['%d', [], '%!d(MISSING)'],
    ['%d', [1n, 2n, 'x', null], '1%!(EXTRA int64=2, string=x, <nil>)'],
    ['%[2]d %[1]d %d', [1n, 2n], '2 1 2'],
    ['%[3]d|%[0]d|%[x]d|%[1]', [1n], '%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|%!(NOVERB)'],
    ['%[1]2d', [5n], '%!d(BADINDEX)'],
    ['%*d|%-*d|%.*f|%*d', [5n, 1n, 5n, 2n, 2n, 3.14259, -4n, 7n], '    1|2    |3.14|7   '],
    ['%*d|%.*d', [1.5, 1n, 'x', 2n], '%!(BADWIDTH)1|%!(BADPREC)2'],
    ['%!|%|%z|%%|%5%', [1n], '%!!(int64=1)|%!|(MISSING)%!z(MISSING)|%|%'],
    ['%', [], '%!(NOVERB)'],
    ['%w %p', [1n, 'x'], '%!w(int64=1) %!p(string=x)'],
    ['no verbs', [], 'no verbs'],
    ['%v', ['é\ud800'], 'é\ud800'],
  ])('%j', (format, args, want) => {
    expect(strfmt(format, args)).toBe(want);
  });
});

function typedToValue(f: TypedField): LibValue {
  if (f.i !== undefined) return BigInt(f.i);
  if (f.f !== undefined) return Number(f.f);
  if (f.b !== undefined) return f.b;
  if (f.s !== undefined) return f.s;
  return null;
}

/** Resolves a strfmt argument the way the vector scripts define it. */
function argValue(src: string, fields: Record<string, TypedField>, pl: string, input: unknown): LibValue {
  const s = src.trim();
  if (s.startsWith('"')) return JSON.parse(s) as string;
  if (/^-?\d+$/.test(s)) return BigInt(s);
  if (/^-?\d*\.\d+$/.test(s)) return Number(s);
  if (s.includes('.')) return null; // attribute access on an unset variable
  if (fields[s] !== undefined) return typedToValue(fields[s]);
  // a variable read from load_json(_): `x = input["k"]` after `input = input["a"]`
  const m = new RegExp(`${s}\\s*=\\s*input\\["(\\w+)"\\]`).exec(pl);
  if (m) return ((input as { a: Record<string, LibValue> }).a[m[1]!] ?? null) as LibValue;
  return null;
}

describe.skipIf(SHARED_DIR === null)(vectorSuite('strfmt'), () => {
  const cases = casesFor('strfmt');
  // the rest are compile errors (missing or non-literal format, unknown function)
  const applicable = cases.filter((c) => outFields(c) !== null);

  it('covers every vector that runs', () => {
    expect(cases.length).toBe(16);
    expect(applicable.length).toBe(11);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const call = /strfmt\(\s*(\w+)\s*,\s*("(?:[^"\\]|\\.)*")\s*((?:,[^,)]+)*)\)/.exec(c.pl)!;
    const fields = outFields(c)!;
    const input = JSON.parse(c.in) as unknown;
    const args = call[3]!
      .split(',')
      .slice(1)
      .map((a) => argValue(a, fields, c.pl, input));
    expect(strfmt(JSON.parse(call[2]!) as string, args)).toBe(fields[call[1]!]!.s);
  });
});
