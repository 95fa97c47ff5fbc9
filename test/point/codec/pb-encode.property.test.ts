/**
 * The protobuf encoder writes each field through fast paths (one-byte
 * lengths, ASCII copied by hand, map order trusted until a key is out of
 * order) with slow paths behind them. Whatever path a point takes, its
 * bytes must be exactly those of a plain reference encoding built from
 * the schema (`pb-bytes.ts`): keys in UTF-8 byte order, members in
 * field-number order, proto3 zero scalars left out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeProtobuf } from '../../../src/point/codec/protobuf.js';
import { compareUtf8 } from '../../../src/point/codec/utf8.js';
import { Point } from '../../../src/point/point.js';
import {
  type BasicValue,
  type FieldValue,
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  UInt,
} from '../../../src/point/value.js';
import { anyArray, bytes, f64, len, type Part, str, vint } from './pb-bytes.js';

function basicPart(v: BasicValue, inArray: boolean): number[] {
  // Field numbers inside `Field` (top level) and `BasicTypes` (array element).
  const n = inArray ? { i: 1, u: 2, f: 3, b: 4, d: 5, s: 6 } : { i: 2, u: 3, f: 4, b: 5, d: 6, s: 11 };
  switch (typeof v) {
    case 'string':
      return str(n.s, v);
    case 'bigint':
      return vint(n.i, v);
    case 'number':
      return f64(n.f, v);
    case 'boolean':
      return vint(n.b, v ? 1 : 0);
    default:
      return v instanceof UInt ? vint(n.u, v.v) : len(n.d, v);
  }
}

function reference(points: Point[]): Uint8Array {
  const out: Part[] = [];
  for (const p of points) {
    const parts: Part[] = [];
    if (p.name !== '') parts.push(str(1, p.name));
    for (const k of [...p.tags.keys()].sort(compareUtf8)) {
      parts.push(len(2, str(1, k), vint(8, 1), str(11, p.tags.get(k)!)));
    }
    for (const k of [...p.fields.keys()].sort(compareUtf8)) {
      const v = p.fields.get(k)!;
      if (v === null) continue;
      const value = Array.isArray(v) ? anyArray(...v.map((e) => basicPart(e, true))) : basicPart(v, false);
      parts.push(len(2, str(1, k), value));
    }
    if (p.time !== 0n) parts.push(vint(3, p.time));
    for (const w of p.warns ?? []) {
      parts.push(len(4, w.type === '' ? [] : str(1, w.type), w.msg === '' ? [] : str(2, w.msg)));
    }
    out.push(len(1, ...parts));
  }
  return bytes(...out);
}

/** Chars that take each UTF-8 length and sort differently in UTF-16 (U+E000 vs surrogates). */
const char = fc.constantFrom('a', 'b', 'z', ' ', '\n', 'é', '中', '\uE000', '😀', '\uFFFF');
/** Texts around the lengths where the encoder switches paths (24 chars, one-byte varints). */
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: char, maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(20, 23, 24, 25, 40, 60, 119, 120, 121, 126, 127, 128, 129, 200, 16384), char)
      .map(([n, c]) => 'x'.repeat(n - 1) + c),
  },
);
const basics: fc.Arbitrary<BasicValue>[] = [
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.bigInt({ min: 0n, max: UINT64_MAX }).map((v) => new UInt(v)),
  fc.double(),
  fc.boolean(),
  text,
  fc.uint8Array({ maxLength: 140 }),
];
const value: fc.Arbitrary<FieldValue> = fc.oneof(
  ...basics,
  fc.constant(null),
  fc.oneof(...basics.map((b) => fc.array(b, { maxLength: 3 }))),
);
const point = fc
  .record({
    name: text,
    tags: fc.array(fc.tuple(text, text), { maxLength: 4 }),
    fields: fc.array(fc.tuple(text, value), { maxLength: 5 }),
    time: fc.oneof(fc.constant(0n), fc.bigInt({ min: INT64_MIN, max: INT64_MAX })),
    warns: fc.option(fc.array(fc.record({ type: text, msg: text }), { minLength: 1, maxLength: 2 }), {
      nil: null,
    }),
  })
  .map(({ name, tags, fields, time, warns }) => {
    const p = new Point(name, new Map(tags), new Map(fields), time);
    p.warns = warns;
    return p;
  });

describe('protobuf encoder', () => {
  it('writes the reference bytes for any point, on every path', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 4 }), (pts) => {
        expect(Buffer.from(encodeProtobuf(pts)).toString('hex')).toBe(
          Buffer.from(reference(pts)).toString('hex'),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('sorts keys that come out of order, in UTF-8 byte order', () => {
    const p = new Point(
      'm',
      new Map([
        ['b', '1'],
        ['a', '2'],
      ]),
      new Map<string, FieldValue>([
        ['\uE000', 1n],
        ['😀', 2n],
        ['z', 'x'.repeat(300)],
      ]),
      1n,
    );
    expect(Buffer.from(encodeProtobuf([p]))).toEqual(Buffer.from(reference([p])));
  });

  it('keeps a batch intact when a later point needs a longer length prefix', () => {
    const small = new Point('m', new Map(), new Map([['f', 1n]]), 1n);
    const big = new Point('m', new Map([['t', 'v'.repeat(20000)]]), new Map([['f', 'é'.repeat(9000)]]), 1n);
    const pts = [small, big, small, big, small];
    expect(Buffer.from(encodeProtobuf(pts))).toEqual(Buffer.from(reference(pts)));
  });
});
