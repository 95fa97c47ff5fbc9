import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePbjson, encodePbjson, readPbjsonPoints } from '../../../src/point/codec/pbjson.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { type FieldValue, UInt } from '../../../src/point/value.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

const NOW = 1717200000000000000n;
const T = 1704067200000000000n;
const ARR = '"@type":"type.googleapis.com/point.Array"';

function decode(text: string) {
  return decodePbjson(Buffer.from(text), { category: 'logging', now: NOW });
}

function raw(text: string) {
  const res = readPbjsonPoints(text, 'logging');
  expect(res.errors).toEqual([]);
  return res.points;
}

describe('PBJSON decode', () => {
  it('reads every kind; int64/uint64/time from strings or numbers, exact past 2^53', () => {
    const [p] = raw(
      `[{"name":"m","fields":[` +
        `{"key":"t","s":"v","is_tag":true},{"key":"i","i":"-9223372036854775808"},{"key":"in","i":9007199254740993},` +
        `{"key":"u","u":"18446744073709551615"},{"key":"un","u":18446744073709551615},{"key":"f","f":"1.5"},` +
        `{"key":"nan","f":"NaN"},{"key":"inf","f":"-Infinity"},{"key":"b","b":false},{"key":"d","d":"aGk"},` +
        `{"key":"du","d":"_-8="},{"key":"a","a":{${ARR},"arr":[{"s":"x"},{"s":"y"}]}},{"key":"e","a":{${ARR}}},` +
        `{"key":"x","i":"1","type":"COUNT","unit":"ms"},{"key":"y","i":"2","type":3,"unit":null}],` +
        `"time":1704067200000000001,"warns":[{"type":"w","message":"m1"},{"type":"w2","msg":"m2"}],"debugs":[{"info":"d"}]}]`,
    );
    expect(toTyped(p!)).toEqual({
      name: 'm',
      time_ns: (T + 1n).toString(),
      tags: { t: 'v' },
      fields: {
        i: { i: '-9223372036854775808' },
        in: { i: '9007199254740993' },
        u: { u: '18446744073709551615' },
        un: { u: '18446744073709551615' },
        f: { f: 1.5 },
        nan: { f: 'NaN' },
        inf: { f: '-Inf' },
        b: { b: false },
        d: { d: 'aGk=' },
        du: { d: '/+8=' },
        a: { a: [{ s: 'x' }, { s: 'y' }] },
        e: { a: [] },
        x: { i: '1' },
        y: { i: '2' },
      },
    });
    expect(p!.warns).toEqual([
      { type: 'w', msg: 'm1' },
      { type: 'w2', msg: 'm2' },
    ]);
  });

  it('treats null as not set and applies the intake checks', () => {
    const res = decode('[{"name":null,"fields":[{"key":"a.b","i":"1","s":null}],"time":null,"warns":null}]');
    expect(res.errors).toEqual([]);
    expect(toTyped(res.points[0]!)).toEqual({
      name: '__default',
      time_ns: NOW.toString(),
      tags: {},
      fields: { a_b: { i: '1' }, status: { s: 'info' } },
    });
  });

  it.each([
    ['no value', '{"key":"x"}', 'nil_field'],
    ['a mixed-kind array', `{"key":"x","a":{${ARR},"arr":[{"i":"1"},{"f":1}]}}`, 'invalid_field_value_type'],
    ['an array element without a value', `{"key":"x","a":{${ARR},"arr":[{}]}}`, 'invalid_field_value_type'],
  ])('drops a field with %s, with a warning', (_what, f, warn) => {
    const [p] = raw(`[{"name":"m","fields":[${f},{"key":"ok","b":true}]}]`);
    expect([...p!.fields.keys()]).toEqual(['ok']);
    expect(p!.warns?.[0]?.type).toBe(warn);
  });

  it.each([
    [
      'a top-level object (PBPoints form)',
      '{"arr":[{"name":"m"}]}',
      /^expected a JSON array of points, got an object$/,
    ],
    ['a non-string name', '[{"name":1}]', /^point\[0\]\.name: expected a string, got a number$/],
    [
      'fields not an array',
      '[{"name":"m","fields":{}}]',
      /^point\[0\]\.fields: expected an array, got an object$/,
    ],
    [
      'an unknown point key',
      '[{"name":"m","tags":{}}]',
      /^point\[0\]\.tags: unknown field \(a plain JSON point\?/,
    ],
    [
      'an unknown field key',
      '[{"fields":[{"key":"k","q":1}]}]',
      /^point\[0\]\.fields\[0\]\.q: unknown field$/,
    ],
    [
      'two values',
      '[{"fields":[{"key":"k","i":"1","s":"x"}]}]',
      /^point\[0\]\.fields\[0\]: more than one value set$/,
    ],
    [
      'a non-integer int',
      '[{"fields":[{"key":"k","i":"1.5"}]}]',
      /^point\[0\]\.fields\[0\]\.i: expected an integer \(decimal string or number\), got "1\.5"$/,
    ],
    ['an int64 overflow', '[{"fields":[{"key":"k","i":"9223372036854775808"}]}]', /out of range/],
    ['a negative uint', '[{"fields":[{"key":"k","u":"-1"}]}]', /out of range/],
    [
      'a bool as a string',
      '[{"fields":[{"key":"k","b":"true"}]}]',
      /^point\[0\]\.fields\[0\]\.b: expected a boolean, got a string$/,
    ],
    ['bad base64', '[{"fields":[{"key":"k","d":"a*b"}]}]', /expected base64 bytes, got invalid base64/],
    [
      'a bad float string',
      '[{"fields":[{"key":"k","f":"inf"}]}]',
      /^point\[0\]\.fields\[0\]\.f: expected a number, got "inf"$/,
    ],
    [
      'an unknown Any type',
      '[{"fields":[{"key":"k","a":{"@type":"type.googleapis.com/point.Map"}}]}]',
      /\.a\.@type: expected/,
    ],
    ['a bad metric type', '[{"fields":[{"key":"k","i":"1","type":"SUM"}]}]', /expected a metric type/],
    ['a time string', '[{"time":"soon"}]', /^point\[0\]\.time: expected an integer/],
    ['a bad warn', '[{"warns":[{"type":1}]}]', /^point\[0\]\.warns\[0\]\.type: expected a string/],
  ])('rejects %s with datakit.invalidJsonPoint', (_what, text, message) => {
    const res = decode(text);
    expect(res.points).toEqual([]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.code).toBe('datakit.invalidJsonPoint');
    expect(res.errors[0]!.message).toMatch(message);
  });

  it('locates syntax errors and keeps the good points when one is bad', () => {
    expect(decode('[{"name":"m",}]').errors[0]).toEqual({
      code: 'datakit.invalidJsonPoint',
      message: 'invalid JSON at line 1, column 14 (byte 13): expected a string key',
      line: 1,
      offset: 13,
    });
    const res = decode(
      '[{"name":"a","fields":[{"key":"v","i":"1"}]},{"name":2},{"name":"c","fields":[{"key":"v","i":"1"}]}]',
    );
    expect(res.points.map((p) => p.name)).toEqual(['a', 'c']);
    expect(res.errors).toHaveLength(1);
  });
});

describe('PBJSON encode', () => {
  it('writes the protobuf JSON mapping: tags first, sorted keys, strings for 64-bit ints', () => {
    const p = new Point(
      'm',
      new Map([
        ['z', 'last'],
        ['a', 'first'],
      ]),
      new Map<string, FieldValue>([
        ['u', new UInt(18446744073709551615n)],
        ['i', -1n],
        ['nan', Number.NaN],
        ['inf', Number.POSITIVE_INFINITY],
        ['neg0', -0],
        ['d', new Uint8Array([1, 2, 3])],
        ['arr', [true, false]],
        ['n', null],
      ]),
      T,
    );
    p.addWarn('t', 'msg');
    expect(encodePbjson([p])).toBe(
      '[{"name":"m","fields":[{"key":"a","s":"first","is_tag":true},{"key":"z","s":"last","is_tag":true},' +
        `{"key":"arr","a":{${ARR},"arr":[{"b":true},{"b":false}]}},{"key":"d","d":"AQID"},{"key":"i","i":"-1"},` +
        '{"key":"inf","f":"Infinity"},{"key":"nan","f":"NaN"},{"key":"neg0","f":-0},' +
        '{"key":"u","u":"18446744073709551615"}],"time":"1704067200000000000","warns":[{"type":"t","message":"msg"}]}]',
    );
  });

  it('leaves out an empty name, no fields and a zero time', () => {
    expect(encodePbjson([new Point('', new Map(), new Map(), 0n)])).toBe('[{}]');
    expect(encodePbjson([])).toBe('[]');
  });
});

const VECTORS = ['arrays', 'bools', 'escapes', 'floats', 'kinds', 'multiline-string', 'unicode'];

describe.skipIf(SHARED_DIR === null)(
  `PBJSON vs DataKit's text ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    it.each(VECTORS)('re-encoding DataKit’s pbjson-%s body gives the same text', (name) => {
      const body = readFileSync(sharedPath('conformance/codec/bodies', `pbjson-${name}.pbjson.json`), 'utf8');
      expect(encodePbjson(raw(body))).toBe(body.trimEnd());
    });
  },
);
