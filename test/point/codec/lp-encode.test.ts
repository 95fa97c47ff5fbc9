/**
 * Line-protocol encoding: DataKit's exact bytes for every value kind,
 * escape, key order and the points DataKit skips.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeLinePoint,
  encodeLineProtocol,
  encodeLineProtocolBytes,
} from '../../../src/point/codec/line-protocol.js';
import { Point } from '../../../src/point/point.js';
import { type FieldValue, UInt } from '../../../src/point/value.js';

function pt(
  name: string,
  tags: Record<string, string>,
  fields: Record<string, FieldValue>,
  time = 1n,
): Point {
  return new Point(name, new Map(Object.entries(tags)), new Map(Object.entries(fields)), time);
}

describe('encodeLinePoint', () => {
  it.each([
    ['int', { f: 42n }, 'f=42i'],
    ['negative int', { f: -9223372036854775808n }, 'f=-9223372036854775808i'],
    ['uint', { f: new UInt(18446744073709551615n) }, 'f=18446744073709551615u'],
    ['float', { f: 0.25 }, 'f=0.25'],
    ['whole float', { f: 3 }, 'f=3'],
    ['float without exponent', { f: 1e21 }, 'f=1000000000000000000000'],
    ['negative zero', { f: -0 }, 'f=-0'],
    ['bool', { t: true, u: false }, 't=true,u=false'],
    ['string', { f: 'GET /' }, 'f="GET /"'],
    ['string escapes', { f: 'say "hi" \\ there' }, 'f="say \\"hi\\" \\\\ there"'],
    ['newline in string', { f: 'a\nb' }, 'f="a\nb"'],
    ['bytes', { f: new Uint8Array(Buffer.from('hello')) }, 'f="aGVsbG8="b'],
    ['empty bytes', { f: new Uint8Array(0) }, 'f=""b'],
    ['int array', { f: [1n, 2n] }, 'f=[1i,2i]'],
    ['uint array', { f: [new UInt(1n)] }, 'f=[1u]'],
    ['float array', { f: [1.5, 2, Number.NaN, Number.POSITIVE_INFINITY] }, 'f=[1.5,2,NaN,+Inf]'],
    ['bool array', { f: [true, false] }, 'f=[true,false]'],
    ['string array', { f: ['a,b', 'c"'] }, 'f=["a,b","c\\""]'],
    ['bytes array', { f: [new Uint8Array([104, 105])] }, 'f=["aGk="b]'],
    ['empty array', { f: [] }, 'f=[]'],
    ['null left out', { a: null, b: 1n }, 'b=1i'],
    ['field key escapes', { 'a b,c=d"e\\f': 1n }, 'a\\ b\\,c\\=d\\"e\\f=1i'],
    ['sorted by key', { z: 1n, a: 2n, M: 3n }, 'M=3i,a=2i,z=1i'],
  ])('%s', (_what, fields, want) => {
    expect(encodeLinePoint(pt('m', {}, fields))).toBe(`m ${want} 1`);
  });

  it('sorts tags, escapes them and leaves out empty values', () => {
    const p = pt('m', { 'tag key': 'val,ue=x', a: '', t2: 'a\\\\b', b: 'x' }, { f: 1n }, 5n);
    expect(encodeLinePoint(p)).toBe('m,b=x,t2=a\\\\b,tag\\ key=val\\,ue\\=x f=1i 5');
  });

  it('orders keys by UTF-8 bytes, not UTF-16 units', () => {
    const p = pt('m', { '😀': '1', '\uE000': '2', z: '3' }, { '😀': 1n, '\uE000': 2n });
    expect(encodeLinePoint(p)).toBe('m,z=3,\uE000=2,😀=1 \uE000=2i,😀=1i 1');
  });

  it.each([
    ['my meas,x', 'my\\ meas\\,x'],
    ['a=b"c', 'a=b"c'],
    ['a\\b', 'a\\b'],
    // DataKit unescapes `\,` before escaping, so the backslash is lost.
    ['a\\,b', 'a\\,b'],
    ['a\\ b', 'a\\ b'],
  ])('measurement %j', (name, want) => {
    expect(encodeLinePoint(pt(name, {}, { f: 1n }))).toBe(`${want} f=1i 1`);
  });

  it('writes negative and large timestamps in nanoseconds', () => {
    expect(encodeLinePoint(pt('m', {}, { f: 1n }, -5n))).toBe('m f=1i -5');
    expect(encodeLinePoint(pt('m', {}, { f: 1n }, 9223372036854775807n))).toBe('m f=1i 9223372036854775807');
  });

  it.each([
    ['no fields', {}],
    ['only null fields', { a: null }],
    ['an empty field key', { '': 1n, b: 2n }],
    ['a NaN field', { a: Number.NaN, b: 1n }],
    ['an infinite field', { a: Number.NEGATIVE_INFINITY }],
  ])('skips a point with %s, as DataKit does', (_what, fields) => {
    expect(encodeLinePoint(pt('m', {}, fields))).toBe('');
  });

  it('skips a point whose series key exceeds 65535 bytes', () => {
    expect(encodeLinePoint(pt('m'.repeat(70000), {}, { f: 1n }))).toBe('');
    expect(encodeLinePoint(pt('m'.repeat(65000), {}, { f: 1n }))).not.toBe('');
  });
});

describe('encodeLineProtocol', () => {
  it('joins lines with \\n, without a trailing newline, skipping unwritable points', () => {
    const body = encodeLineProtocol([pt('a', {}, { f: 1n }), pt('b', {}, {}), pt('c', {}, { f: 2n })]);
    expect(body).toBe('a f=1i 1\nc f=2i 1');
  });

  it('is empty for no points', () => {
    expect(encodeLineProtocol([])).toBe('');
  });

  it('writes bytes equal to the UTF-8 of the string, growing its buffer as needed', () => {
    const points = [
      pt('a', {}, { f: 'x'.repeat(5000) }),
      pt('b', {}, {}),
      pt('城市', { k: '上海' }, { f: '🚀'.repeat(3000) }),
      ...Array.from({ length: 50 }, (_, i) => pt(`m${i}`, { t: 'v' }, { f: BigInt(i) })),
    ];
    expect(Buffer.from(encodeLineProtocolBytes(points)).toString('utf8')).toBe(encodeLineProtocol(points));
    expect(encodeLineProtocolBytes([]).length).toBe(0);
  });

  it('has a UTF-8 bytes variant', () => {
    const bytes = encodeLineProtocolBytes([pt('城市', { k: '上海' }, { f: '🚀' })]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString('utf8')).toBe('城市,k=上海 f="🚀" 1');
  });
});
