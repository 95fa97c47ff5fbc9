/**
 * Property tests of the raw codecs (no intake checks): any point survives
 * protobuf and PBJSON encode → decode unchanged, and no input, however
 * mangled, makes a decoder throw, hang or produce more than its body holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJson } from '../../../src/point/codec/json.js';
import { parseJsonExact } from '../../../src/point/codec/json-exact.js';
import { decodePbjson, encodePbjson, readPbjsonPoints } from '../../../src/point/codec/pbjson.js';
import { decodeProtobuf, encodeProtobuf, readPbPoints } from '../../../src/point/codec/protobuf.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import {
  type BasicValue,
  type FieldValue,
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  UInt,
} from '../../../src/point/value.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const int64 = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.constantFrom(INT64_MIN, INT64_MAX, -1n, 0n, 2n ** 53n + 1n),
);
const uint64 = fc
  .oneof(fc.bigInt({ min: 0n, max: UINT64_MAX }), fc.constantFrom(0n, UINT64_MAX, 2n ** 63n))
  .map((v) => new UInt(v));
const float = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 5e-324),
);
const bytes = fc.uint8Array({ maxLength: 16 });

const basics: fc.Arbitrary<BasicValue>[] = [int64, uint64, float, fc.boolean(), text, bytes];
const basic = fc.oneof(...basics);
const array = fc.oneof(...basics.map((a) => fc.array(a, { maxLength: 5 })));
const value: fc.Arbitrary<FieldValue> = fc.oneof(basic, array);

const point = fc
  .record({
    name: text,
    tags: fc.dictionary(text, text, { maxKeys: 4 }),
    fields: fc.dictionary(text, value, { maxKeys: 6 }),
    time: int64,
    warns: fc.option(fc.array(fc.record({ type: text, msg: text }), { minLength: 1, maxLength: 2 }), {
      nil: null,
    }),
  })
  .map(({ name, tags, fields, time, warns }) => {
    const p = new Point(name, new Map(Object.entries(tags)), new Map(Object.entries(fields)), time);
    p.warns = warns;
    return p;
  });

function typed(points: Point[]) {
  return points.map((p) => ({ ...toTyped(p), warns: p.warns }));
}

describe('round trips (raw codec)', () => {
  it('protobuf: decode(encode(points)) equals points', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 4 }), (pts) => {
        const res = readPbPoints(encodeProtobuf(pts), 'logging');
        expect(res.errors).toEqual([]);
        expect(typed(res.points)).toEqual(typed(pts));
      }),
      { numRuns: 300 },
    );
  });

  it('PBJSON: decode(encode(points)) equals points', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 4 }), (pts) => {
        const res = readPbjsonPoints(encodePbjson(pts), 'logging');
        expect(res.errors).toEqual([]);
        expect(typed(res.points)).toEqual(typed(pts));
      }),
      { numRuns: 300 },
    );
  });
});

const opts = { category: 'logging' as const, now: 1n };

/** Damage a body: flip, drop, insert and truncate at random places. */
const mangled = fc
  .tuple(
    fc.array(point, { minLength: 1, maxLength: 3 }),
    fc.array(
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert')),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    fc.option(fc.nat()),
  )
  .map(([pts, edits, cut]) => {
    const b = Array.from(encodeProtobuf(pts));
    for (const [at, byte, op] of edits) {
      const i = at % (b.length + 1);
      if (op === 'flip') b[i % b.length] = byte;
      else if (op === 'drop') b.splice(i, 1);
      else b.splice(i, 0, byte);
    }
    return Uint8Array.from(cut === null ? b : b.slice(0, cut % (b.length + 1)));
  });

function bounded(body: Uint8Array, res: { points: Point[]; errors: unknown[] }): void {
  expect(res.errors.length).toBeLessThanOrEqual(1);
  // Every point costs at least its 2-byte header; all strings come from the body.
  expect(res.points.length).toBeLessThanOrEqual(body.length / 2);
  let chars = 0;
  for (const p of res.points) {
    chars += p.name.length;
    for (const [k, v] of p.tags) chars += k.length + v.length;
    for (const k of p.fields.keys()) chars += k.length;
  }
  expect(chars).toBeLessThanOrEqual(body.length + 16 * res.points.length); // + the intake's own keys/values
}

describe('decoders never throw on hostile input', () => {
  it('protobuf: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
        bounded(body, decodeProtobuf(body, opts));
      }),
      { numRuns: 2000 },
    );
  });

  it('protobuf: mutated and truncated valid bodies', () => {
    fc.assert(
      fc.property(mangled, (body) => {
        bounded(body, decodeProtobuf(body, opts));
      }),
      { numRuns: 2000 },
    );
  });

  it('PBJSON and JSON: arbitrary JSON values and text', () => {
    const input = fc.oneof(
      fc.json(),
      fc.string(),
      fc.array(point, { maxLength: 2 }).map((p) => encodePbjson(p)),
    );
    fc.assert(
      fc.property(input, (t) => {
        const a = decodePbjson(t, opts);
        const b = decodeJson(t, opts);
        for (const e of [...a.errors, ...b.errors]) expect(e.code).toBe('datakit.invalidJsonPoint');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the exact JSON parser', () => {
  /** JSON.parse's answer (through the same stringify round trip as `exact`, which folds -0 into 0), or 'error'. */
  function native(t: string): unknown {
    try {
      return JSON.parse(JSON.stringify(JSON.parse(t)));
    } catch {
      return 'error';
    }
  }

  /** parseJsonExact's answer with bigints as JSON.parse would round them, or 'error'. */
  function exact(t: string): unknown {
    try {
      return JSON.parse(
        JSON.stringify(parseJsonExact(t), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
      );
    } catch {
      return 'error';
    }
  }

  it('agrees with JSON.parse on valid and damaged JSON', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), fc.nat())
      .map(([t, at, ins, cut]) =>
        (t.slice(0, at % (t.length + 1)) + ins + t.slice(at % (t.length + 1))).slice(0, cut % (t.length + 4)),
      );
    fc.assert(
      fc.property(fc.oneof(fc.json(), damaged), (t) => {
        expect(exact(t)).toEqual(native(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps integers beyond 2^53 exact as bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        const v = parseJsonExact(`[${n}]`) as unknown[];
        if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER))
          expect(v[0]).toBe(Number(n));
        else expect(v[0]).toBe(n);
      }),
    );
  });
});
