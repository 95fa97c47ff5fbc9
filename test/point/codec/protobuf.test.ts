import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProtobuf, encodeProtobuf, readPbPoints } from '../../../src/point/codec/protobuf.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { type FieldValue, UInt } from '../../../src/point/value.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';
import { anyArray, bytes, cat, f64, field, key, len, points, str, varint, vint } from './pb-bytes.js';

const NOW = 1717200000000000000n;
const T = 1704067200000000000n;
const opts = { category: 'logging' as const, now: NOW };

function pt(tags: Record<string, string>, fields: Record<string, FieldValue>, time = T, name = 'm'): Point {
  return new Point(name, new Map(Object.entries(tags)), new Map(Object.entries(fields)), time);
}

describe('protobuf decode', () => {
  it('reads every value kind, tags by is_tag, and keeps int64/uint64 exact', () => {
    const body = points(
      cat(
        str(1, 'kinds'),
        len(2, field('host', vint(8, 1), str(11, 'web-1'))),
        len(2, field('i', vint(2, -9223372036854775808n))),
        len(2, field('big', vint(2, 9007199254740993n))),
        len(2, field('u', vint(3, 18446744073709551615n))),
        len(2, field('f', f64(4, -0.5))),
        len(2, field('b', vint(5, 1))),
        len(2, field('d', len(6, [0, 255, 1]))),
        len(2, field('s', str(11, ''))),
        len(2, field('a', anyArray(vint(1, 1), vint(1, -2)))),
        vint(3, T),
      ),
    );
    const res = readPbPoints(body, 'logging');
    expect(res.errors).toEqual([]);
    expect(toTyped(res.points[0]!)).toEqual({
      name: 'kinds',
      time_ns: T.toString(),
      tags: { host: 'web-1' },
      fields: {
        i: { i: '-9223372036854775808' },
        big: { i: '9007199254740993' },
        u: { u: '18446744073709551615' },
        f: { f: -0.5 },
        b: { b: true },
        d: { d: 'AP8B' },
        s: { s: '' },
        a: { a: [{ i: '1' }, { i: '-2' }] },
      },
    });
  });

  it('skips unknown fields of every wire type, debugs, metric type and unit', () => {
    const group = cat(key(15, 3), vint(1, 5), key(2, 3), key(2, 4), key(15, 4));
    const body = bytes(
      vint(9, 7), // unknown in PBPoints
      len(
        1,
        vint(20, 1),
        cat(key(21, 1), [1, 2, 3, 4, 5, 6, 7, 8]),
        cat(key(22, 5), [1, 2, 3, 4]),
        group,
        str(1, 'm'),
        len(5, str(1, 'debug info')),
        len(2, field('x', vint(9, 2), str(10, 'ms'), vint(2, 3), str(99, 'junk'))),
        vint(3, T),
      ),
    );
    const res = readPbPoints(body, 'logging');
    expect(res.errors).toEqual([]);
    expect(toTyped(res.points[0]!)).toEqual({
      name: 'm',
      time_ns: T.toString(),
      tags: {},
      fields: { x: { i: '3' } },
    });
  });

  it('keeps warns on the point; the last oneof member wins; is_tag on a non-string makes a field', () => {
    const body = points(
      cat(
        str(1, 'm'),
        len(2, field('v', str(11, 'first'), vint(2, 2))),
        len(2, field('t', vint(8, 1), vint(2, 5))),
        len(4, str(1, 'dot_in_key'), str(2, 'a.b replaced')),
      ),
    );
    const p = readPbPoints(body, 'logging').points[0]!;
    expect(p.fields.get('v')).toBe(2n);
    expect(p.fields.get('t')).toBe(5n);
    expect(p.tags.size).toBe(0);
    expect(p.warns).toEqual([{ type: 'dot_in_key', msg: 'a.b replaced' }]);
  });

  it.each([
    ['a field without a value', field('x'), 'nil_field'],
    [
      'an Any that is not point.Array',
      cat(str(1, 'x'), len(7, str(1, 'type.googleapis.com/point.Map'))),
      'invalid_field_value_type',
    ],
    ['a mixed-kind array', cat(str(1, 'x'), anyArray(vint(1, 1), str(6, 's'))), 'invalid_field_value_type'],
    [
      'an array element without a value',
      cat(str(1, 'x'), anyArray(vint(1, 1), [])),
      'invalid_field_value_type',
    ],
    [
      'a corrupt array payload',
      cat(str(1, 'x'), len(7, str(1, 'type.googleapis.com/point.Array'), len(2, [0x0a, 0x05]))),
      'invalid_field_value_type',
    ],
  ])('drops %s with a warning, keeping the point', (_what, f, warnType) => {
    const res = readPbPoints(points(cat(str(1, 'm'), len(2, f), len(2, field('ok', vint(5, 1))))), 'logging');
    expect(res.errors).toEqual([]);
    const p = res.points[0]!;
    expect([...p.fields.keys()]).toEqual(['ok']);
    expect(p.warns?.[0]?.type).toBe(warnType);
  });

  it('gives points without time the receive time and applies the intake checks', () => {
    const res = decodeProtobuf(points(cat(str(1, ''), len(2, field('a.b', vint(2, 1))))), opts);
    expect(res.errors).toEqual([]);
    expect(toTyped(res.points[0]!)).toEqual({
      name: '__default',
      time_ns: NOW.toString(),
      tags: {},
      fields: { a_b: { i: '1' }, status: { s: 'info' } },
    });
  });

  it('accepts an empty body as no points', () => {
    expect(decodeProtobuf(new Uint8Array(0), opts)).toEqual({ points: [], errors: [] });
  });

  const good = cat(str(1, 'm'), len(2, field('v', vint(2, 1))), vint(3, T));
  it.each([
    [
      'a length past the end',
      bytes([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]),
      1,
      /length 4294967295 runs past/,
    ],
    ['a truncated point', bytes(len(1, good)).subarray(0, 10), 1, /runs past the end/],
    ['a truncated varint', bytes([0x0a, 0x03, 0x18, 0x80, 0x80]), 3, /truncated varint/],
    ['a varint of 11 bytes', bytes(key(1, 0), new Array(10).fill(0xff), [0x01]), 1, /longer than 10 bytes/],
    ['field number 0', bytes([0x00, 0x01]), 0, /field number 0/],
    ['wire type 7', bytes([0x0f]), 1, /invalid wire type 7/],
    ['a stray end-group', bytes([0x0c]), 0, /unexpected end-group/],
    ['an unterminated group', bytes([0x0b, 0x08, 0x01]), 1, /unterminated group/],
    ['a truncated fixed64', bytes(len(1, len(2, field('f', key(4, 1), [0, 0, 0])))), 8, /truncated fixed64/],
    [
      'a length that does not fit 32 bits',
      bytes([0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      1,
      /does not fit 32 bits/,
    ],
  ])('reports %s with its byte offset', (_what, body, offset, reason) => {
    const res = decodeProtobuf(body, opts);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]!.code).toBe('datakit.invalidProtobufPoint');
    expect(res.errors[0]!.offset).toBe(offset);
    expect(res.errors[0]!.message).toMatch(reason);
    expect(res.errors[0]!.message).toContain(`at byte ${offset}`);
  });

  it('keeps the points completed before an error', () => {
    const body = bytes(len(1, good), len(1, good), [0x0a, 0x40, 0x01]);
    const res = decodeProtobuf(body, opts);
    expect(res.points).toHaveLength(2);
    expect(res.errors[0]!.message).toContain('(point 2)');
  });
});

describe('protobuf encode', () => {
  it('writes fields in key order for runs of points with the same unsorted keys, and for changed runs', () => {
    const mk = (entries: [string, FieldValue][]) => new Point('m', new Map(), new Map(entries), 1n);
    const batch = [
      mk([
        ['z', 1n],
        ['a', 'x'],
        ['m', true],
      ]),
      mk([
        ['z', 2n],
        ['a', 'y'],
        ['m', false],
      ]),
      mk([
        ['m', 3.5],
        ['z', 3n],
        ['a', 'w'],
      ]),
      mk([
        ['z', 4n],
        ['a', 'v'],
        ['m', true],
      ]),
      mk([
        ['z', 5n],
        ['a', 'u'],
      ]),
      mk([
        ['a', 'sorted'],
        ['b', 1n],
      ]),
    ];
    const order = readPbPoints(encodeProtobuf(batch), 'metric').points.map((p) => [...p.fields.keys()]);
    expect(order).toEqual([
      ['a', 'm', 'z'],
      ['a', 'm', 'z'],
      ['a', 'm', 'z'],
      ['a', 'm', 'z'],
      ['a', 'z'],
      ['a', 'b'],
    ]);
    const back = decodeProtobuf(encodeProtobuf(batch), { category: 'metric' }).points;
    expect(back.map((p) => p.fields.get('z'))).toEqual([1n, 2n, 3n, 4n, 5n, undefined]);
    expect(back[2]!.fields.get('m')).toBe(3.5);
  });

  it('writes tags then fields, sorted by key, in field-number order inside each Field', () => {
    const p = pt({ region: 'eu', host: 'web-1' }, { status: 'info', code: 200n, ok: true });
    const expected = bytes(
      len(
        1,
        str(1, 'm'),
        len(2, str(1, 'host'), vint(8, 1), str(11, 'web-1')),
        len(2, str(1, 'region'), vint(8, 1), str(11, 'eu')),
        len(2, str(1, 'code'), vint(2, 200)),
        len(2, str(1, 'ok'), vint(5, 1)),
        len(2, str(1, 'status'), str(11, 'info')),
        vint(3, T),
      ),
    );
    expect(new Uint8Array(encodeProtobuf([p]))).toEqual(expected);
  });

  it('encodes negative ints as 10-byte two’s complement varints and uint64 above 2^63', () => {
    const p = pt({}, { n: -1n, u: new UInt(2n ** 64n - 1n) }, 0n, '');
    const expected = bytes(
      len(
        1,
        len(2, str(1, 'n'), key(2, 0), varint(-1n)),
        len(2, str(1, 'u'), key(3, 0), varint(2n ** 64n - 1n)),
      ),
    );
    expect(new Uint8Array(encodeProtobuf([p]))).toEqual(expected);
  });

  it('leaves out null fields and survives length prefixes of every size', () => {
    for (const n of [0, 1, 42, 43, 127, 128, 300, 16383, 16384, 70000]) {
      const s = 'é'.repeat(n);
      const p = pt({ t: s }, { s, k: null, arr: [s, 'x'] }, T, s);
      const res = readPbPoints(encodeProtobuf([p, p]), 'logging');
      expect(res.errors).toEqual([]);
      const want = toTyped(pt({ t: s }, { s, arr: [s, 'x'] }, T, s));
      expect(res.points.map((q) => toTyped(q))).toEqual([want, want]);
    }
  });
});

const PB_VECTORS = ['arrays', 'bools', 'escapes', 'floats', 'kinds', 'multiline-string', 'unicode'];

describe.skipIf(SHARED_DIR === null)(
  `protobuf vs DataKit's bytes ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    it.each(PB_VECTORS)('re-encoding DataKit’s protobuf-%s body gives the same bytes', (name) => {
      const body = readFileSync(sharedPath('conformance/codec/bodies', `protobuf-${name}.pb`));
      const res = readPbPoints(body, 'logging');
      expect(res.errors).toEqual([]);
      expect(Buffer.from(encodeProtobuf(res.points)).toString('hex')).toBe(body.toString('hex'));
    });
  },
);
