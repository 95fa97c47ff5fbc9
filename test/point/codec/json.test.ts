import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '../../../src/point/codec/json.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { UInt } from '../../../src/point/value.js';

const NOW = 1717200000000000000n;
const T = 1704067200000000000n;

function decode(text: string, precision = '', category: 'logging' | 'metric' = 'logging') {
  return decodeJson(Buffer.from(text), { category, precision, now: NOW });
}

function one(text: string, precision = '') {
  const res = decode(text, precision);
  expect(res.errors).toEqual([]);
  expect(res.points).toHaveLength(1);
  return res.points[0]!;
}

describe('JSON decode', () => {
  it.each([
    ['seconds', '1704067200', '', T],
    ['milliseconds', '1704067200000', '', T],
    ['microseconds', '1704067200000000', '', T],
    ['nanoseconds', '1704067200000000000', '', T],
    ['an exact ns time past 2^53', '1704067200000000001', '', T + 1n],
    ['precision=s', '1704067200', 's', T],
    ['precision=ms', '1704067200000', 'ms', T],
    ['precision=u', '1704067200000000', 'u', T],
    ['precision=n', '1704067200', 'n', 1704067200n],
    ['precision=m', '28401120', 'm', T],
    ['precision=h', '473352', 'h', T],
    ['no time', null, '', NOW],
    ['time null', 'null', '', NOW],
    ['time 0', '0', '', NOW],
    ['a negative time (kept as ns)', '-5', 's', -5n],
    ['an integral float', '1704067200.0', '', T],
  ])('reads %s', (_what, time, precision, want) => {
    const t = time === null ? '' : `,"time":${time}`;
    expect(one(`[{"measurement":"m","fields":{"v":1}${t}}]`, precision).time).toBe(want);
  });

  it('makes every number a float, keeps strings and bools, rounds big integers like Go', () => {
    const p = one(
      '[{"measurement":"m","fields":{"i":1,"f":-2.5e3,"big":9007199254740993,"s":"x","b":false}}]',
    );
    expect(toTyped(p).fields).toEqual({
      i: { f: 1 },
      f: { f: -2500 },
      big: { f: 9007199254740992 },
      s: { s: 'x' },
      b: { b: false },
      status: { s: 'info' },
    });
  });

  it('drops object, array and null field values with a warning', () => {
    const p = one('[{"measurement":"m","fields":{"o":{"a":1},"a":[1,2],"n":null,"v":1}}]');
    expect([...p.fields.keys()]).toEqual(['v', 'status']);
    expect(p.warns?.map((w) => w.type)).toEqual([
      'invalid_field_value_type',
      'invalid_field_value_type',
      'invalid_field_value_type',
    ]);
  });

  it('lets a tag win over a field of the same key, matches keys case-insensitively, ignores unknown keys', () => {
    const p = one('[{"Measurement":"m","TAGS":{"k":"t","n":null},"Fields":{"k":1,"v":2},"extra":[1]}]');
    expect(p.name).toBe('m');
    expect(Object.fromEntries(p.tags)).toEqual({ k: 't', n: '' });
    expect([...p.fields.keys()]).toEqual(['v', 'status']);
  });

  it('reads a missing measurement as __default and `null` as no points', () => {
    expect(one('[{"fields":{"v":1}}]').name).toBe('__default');
    expect(decode('null')).toEqual({ points: [], errors: [] });
    expect(decode('[]')).toEqual({ points: [], errors: [] });
  });

  it.each([
    [
      'not an array',
      '{"measurement":"m","fields":{"v":1}}',
      /^expected a JSON array of points, got an object$/,
    ],
    ['a string', '"x"', /got a string/],
    ['a point that is not an object', '[1]', /^point\[0\]: expected an object, got a number$/],
    ['no fields', '[{"measurement":"m"}]', /^point\[0\]: no fields$/],
    ['empty fields', '[{"measurement":"m","fields":{}}]', /^point\[0\]: no fields$/],
    [
      'fields not an object',
      '[{"measurement":"m","fields":[1]}]',
      /^point\[0\]\.fields: expected an object, got an array$/,
    ],
    [
      'a non-string tag',
      '[{"measurement":"m","tags":{"t":1},"fields":{"v":1}}]',
      /^point\[0\]\.tags\.t: expected a string, got a number$/,
    ],
    [
      'a non-string measurement',
      '[{"measurement":5,"fields":{"v":1}}]',
      /^point\[0\]\.measurement: expected a string/,
    ],
    [
      'a fractional time',
      '[{"measurement":"m","fields":{"v":1},"time":1.5}]',
      /^point\[0\]\.time: expected an integer timestamp, got 1\.5$/,
    ],
    [
      'a string time',
      '[{"measurement":"m","fields":{"v":1},"time":"1"}]',
      /^point\[0\]\.time: expected an integer timestamp, got a string$/,
    ],
    [
      'a time beyond int64',
      '[{"measurement":"m","fields":{"v":1},"time":9223372036854775808}]',
      /out of int64 range/,
    ],
    [
      'a float beyond float64',
      '[{"measurement":"m","fields":{"v":1e400}}]',
      /^point\[0\]\.fields\.v: number out of float64 range$/,
    ],
  ])('rejects %s with datakit.invalidJsonPoint', (_what, text, message) => {
    const res = decode(text);
    expect(res.points).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.code).toBe('datakit.invalidJsonPoint');
    expect(res.errors[0]!.message).toMatch(message);
  });

  it('reports a bad point by index and still returns the others', () => {
    const res = decode(
      '[{"measurement":"a","fields":{"v":1}},{"measurement":"b"},{"measurement":"c","fields":{"v":1}}]',
    );
    expect(res.points.map((p) => p.name)).toEqual(['a', 'c']);
    expect(res.errors.map((e) => e.message)).toEqual(['point[1]: no fields']);
  });

  it.each([
    ['a truncated body', '[{"measurement":"x", "fields": {\n', 2, 1, 33, 'unexpected end of JSON input'],
    ['a trailing comma', '[{"fields":{"v":1},}]', 1, 20, 19, 'expected a string key'],
    ['junk after the value', '[] x', 1, 4, 3, 'unexpected data after the JSON value'],
    ['a bad escape', '["\\x"]', 1, 3, 2, 'invalid escape \\x'],
    ['a raw newline in a string', '["a\nb"]', 1, 4, 3, 'control character U+000a in string'],
    ['a leading zero', '[01]', 1, 3, 2, 'expected "," or "]" in array'],
    ['a multi-byte prefix', '["日本", x]', 1, 8, 11, 'unexpected character "x"'],
    ['an empty body', '', 1, 1, 0, 'unexpected end of JSON input'],
    ['an unterminated string', '["abc', 1, 2, 1, 'unterminated string'],
    ['an unterminated escaped string', '["a\\"', 1, 2, 1, 'unterminated string'],
  ])('locates %s precisely', (_what, text, line, column, offset, reason) => {
    const res = decode(text);
    expect(res.errors).toEqual([
      {
        code: 'datakit.invalidJsonPoint',
        message: `invalid JSON at line ${line}, column ${column} (byte ${offset}): ${reason}`,
        line,
        offset,
      },
    ]);
  });

  it('refuses nesting deeper than 1000 without overflowing the stack', () => {
    const res = decode(`${'['.repeat(100000)}${']'.repeat(100000)}`);
    expect(res.errors[0]!.message).toContain('nesting deeper than 1000');
  });
});

describe('JSON encode', () => {
  it('writes DataKit’s JSONPoint shape with exact integers and ns time', () => {
    const p = new Point(
      'm',
      new Map([['host', 'a']]),
      new Map<string, import('../../../src/point/value.js').FieldValue>([
        ['i', 9007199254740993n],
        ['u', new UInt(18446744073709551615n)],
        ['f', 0.5],
        ['b', true],
        ['s', 'q"x'],
        ['d', new Uint8Array([104, 105])],
        ['a', [1n, 2n]],
        ['nan', Number.NaN],
        ['n', null],
      ]),
      T + 1n,
    );
    expect(encodeJson([p])).toBe(
      '[{"measurement":"m","tags":{"host":"a"},"fields":{"i":9007199254740993,"u":18446744073709551615,' +
        '"f":0.5,"b":true,"s":"q\\"x","d":"hi","a":[1,2]},"time":1704067200000000001}]',
    );
  });

  it('leaves out empty tags and a zero time, and reads back through the decoder', () => {
    const p = new Point('m', new Map(), new Map([['v', 2.5]]), 0n);
    const text = encodeJson([p]);
    expect(text).toBe('[{"measurement":"m","fields":{"v":2.5}}]');
    expect(toTyped(decode(text).points[0]!)).toEqual({
      name: 'm',
      time_ns: NOW.toString(),
      tags: {},
      fields: { v: { f: 2.5 }, status: { s: 'info' } },
    });
  });
});
