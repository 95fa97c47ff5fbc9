/**
 * Property tests: random points of every value kind survive encode →
 * decode unchanged, and any input (random text, random bytes, damaged
 * encodings, pathological repetitions) decodes without throwing, quickly,
 * into output no larger than the input.
 *
 * What the wire cannot carry is kept out of the generated points, each for
 * a reason that holds for DataKit too:
 * - backslashes in measurements and field keys: DataKit's writer drops the
 *   backslash of `\,` / `\ ` in names, and its reader drops every
 *   backslash before `\ , " space =` in field keys;
 * - a trailing backslash in tag keys and values: it would escape the
 *   following `=`, `,` or space (intake strips it anyway);
 * - newlines outside string values, `.` in keys, empty tag values, field
 *   keys equal to a tag key: intake rewrites or drops them;
 * - a leading tab/NUL in names and field keys, a leading `#` in names:
 *   the reader skips blanks there and takes `#` for a comment;
 * - NaN and ±Inf floats (not writable) and the timestamp 0 (reads back as
 *   the receive time).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../../src/point/codec/errors.js';
import {
  decodeLineProtocol,
  encodeLineProtocol,
  encodeLineProtocolBytes,
} from '../../../src/point/codec/line-protocol.js';
import { normalizePoint } from '../../../src/point/normalize.js';
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

const CATEGORY = 'network' as const;

/** Mostly the characters that matter to the grammar, plus any code point. */
const unit = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(' ', ',', '=', '"', '\\', '\n', '\t', '#', '[', ']', 'b', 'i', 'u', '-', '0'),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const text = (maxLength: number) => fc.string({ unit, maxLength });

const name = text(12).filter(
  (s) => s !== '' && !s.includes('\\') && !s.includes('\n') && !/^[\t\0#]/.test(s),
);
const tagKey = text(10).filter((s) => s !== '' && !s.includes('\n') && !s.includes('.') && !s.endsWith('\\'));
const tagValue = tagKey;
const fieldKey = text(10).filter(
  (s) => s !== '' && !s.includes('\\') && !s.includes('\n') && !s.includes('.') && !/^[\t\0]/.test(s),
);

const int = fc.bigInt(INT64_MIN, INT64_MAX);
const uint = fc.bigInt(0n, UINT64_MAX).map((v) => new UInt(v));
const float = fc.double({ noNaN: true, noDefaultInfinity: true });
const str = text(40);
const bytes = fc.uint8Array({ maxLength: 24 }).map((b) => new Uint8Array(b));
const basics: fc.Arbitrary<BasicValue>[] = [int, uint, float, fc.boolean(), str, bytes];
const array = fc.oneof(...basics.map((b) => fc.array(b, { maxLength: 4 })));
const value: fc.Arbitrary<FieldValue> = fc.oneof(...basics, array);

const point = fc
  .record({
    name,
    tags: fc.array(fc.tuple(tagKey, tagValue), { maxLength: 4 }),
    fields: fc.array(fc.tuple(fieldKey, value), { minLength: 1, maxLength: 5 }),
    time: fc.bigInt(INT64_MIN, INT64_MAX).filter((t) => t !== 0n),
  })
  .map(({ name, tags, fields, time }) => {
    const t = new Map(tags);
    const f = new Map(fields.filter(([k]) => !t.has(k)));
    if (f.size === 0) f.set('_', 1n);
    const p = new Point(name, t, f, time, CATEGORY);
    normalizePoint(p, CATEGORY);
    return p;
  });

function decodeN(body: string): DecodeResult {
  return decodeLineProtocol(body, { category: CATEGORY, precision: 'n', now: 1n });
}

describe('round trip', () => {
  it('decode(encode(points)) gives the same points', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 4 }), (points) => {
        const body = encodeLineProtocol(points);
        expect(Buffer.from(encodeLineProtocolBytes(points)).toString('utf8')).toBe(body);
        const back = decodeN(body);
        expect(back.errors).toEqual([]);
        expect(back.points.map((p) => toTyped(p))).toEqual(points.map((p) => toTyped(p)));
      }),
      { numRuns: 1500 },
    );
  });

  it('re-encoding the decoded points gives the same bytes', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 4 }), (points) => {
        const body = encodeLineProtocol(points);
        expect(encodeLineProtocol(decodeN(body).points)).toBe(body);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the UTF-8 bytes like the string', () => {
    fc.assert(
      fc.property(point, (p) => {
        const body = encodeLineProtocol([p]);
        const fromBytes = decodeLineProtocol(Buffer.from(body), {
          category: CATEGORY,
          precision: 'n',
          now: 1n,
        });
        expect(fromBytes).toEqual(decodeN(body));
      }),
      { numRuns: 300 },
    );
  });
});

/** Characters a point carries, counted so that each comes from a distinct input char. */
function outputSize(r: DecodeResult): number {
  let size = 0;
  const valueSize = (v: FieldValue): number => {
    if (typeof v === 'string') return v.length;
    if (v instanceof Uint8Array) return v.length;
    if (Array.isArray(v)) return v.reduce((a: number, x) => a + valueSize(x), 0);
    return 1;
  };
  for (const p of r.points) {
    size += p.name.length;
    for (const [k, v] of p.tags) size += k.length + v.length;
    for (const [k, v] of p.fields) size += k.length + valueSize(v);
  }
  return size;
}

function checkDecodes(body: string | Uint8Array): void {
  const s = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const byteLength = Buffer.byteLength(s);
  const lines = s.split('\n').length;
  // DataKit's line splitter also ends a line at a stray `]` or a second `[`.
  const splits = lines + (s.match(/[[\]]/g)?.length ?? 0);
  // A guard against super-linear inputs, not a speed test: an input that is slow is slow every time,
  // while a busy machine (or a GC) stalls one run; so a slow decode is tried once more.
  let t0 = performance.now();
  let r = decodeLineProtocol(body, { category: CATEGORY, now: 1n });
  if (performance.now() - t0 >= 500) {
    t0 = performance.now();
    r = decodeLineProtocol(body, { category: CATEGORY, now: 1n });
    expect(performance.now() - t0).toBeLessThan(500);
  }
  expect(r.points.length + r.errors.length).toBeLessThanOrEqual(splits);
  expect(outputSize(r)).toBeLessThanOrEqual(s.length);
  for (const e of r.errors) {
    expect(e.code).toBe('datakit.invalidLinePoint');
    expect(e.message.length).toBeLessThan(400);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(byteLength);
    if (e.line !== undefined) expect(e.line).toBeLessThanOrEqual(lines);
  }
}

const lpChars = fc.constantFrom(...'m,= "\\\n\r\t#[]0123456789.-+eEiutTfFbaN'.split(''), 'é', '🚀');

describe('robustness', () => {
  it('decodes random line-protocol-like text without throwing', () => {
    fc.assert(fc.property(fc.string({ unit: lpChars, maxLength: 300 }), checkDecodes), { numRuns: 3000 });
  });

  it('decodes random bytes without throwing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), checkDecodes), { numRuns: 1000 });
  });

  it('decodes damaged encodings without throwing', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), lpChars);
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 3 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (points, edits) => {
          let body = encodeLineProtocol(points);
          for (const [at, op, ch] of edits) {
            const i = body.length === 0 ? 0 : at % body.length;
            if (op === 'insert') body = body.slice(0, i) + ch + body.slice(i);
            else if (op === 'delete') body = body.slice(0, i) + body.slice(i + 1);
            else body = body.slice(0, i) + ch + body.slice(i + 1);
          }
          checkDecodes(body);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['brackets', 'm f=' + '['.repeat(200_000)],
    ['closing brackets', 'm f]'.repeat(50_000)],
    ['quotes', '"'.repeat(200_000)],
    ['field quotes', 'm f=1i "'.repeat(30_000)],
    ['backslashes', 'm,t=' + '\\'.repeat(200_000)],
    ['open string', 'm f="' + 'x\n'.repeat(100_000)],
    ['newlines', '\n'.repeat(200_000)],
    ['bad lines', 'x\n'.repeat(100_000)],
    ['many tags', 'm,' + Array.from({ length: 20_000 }, (_, i) => `t${i}=v`).join(',') + ' f=1i'],
    ['many fields', 'm ' + Array.from({ length: 20_000 }, (_, i) => `f${i}=1i`).join(',')],
    ['long array', 'm f=[' + '1i,'.repeat(100_000) + '1i]'],
    ['strings without escapes', 'm f="abc",g="d" 1\n'.repeat(50_000)],
    ['one late backslash', 'm f="abc" 1\n'.repeat(50_000) + 'm f="\\\\" 1'],
    ['string array lines', 'm f=["a","b"] 1\n'.repeat(50_000)],
    [
      'long key, many fields',
      'm,t=' + 'v'.repeat(30_000) + ' ' + Array.from({ length: 20_000 }, (_, i) => `f${i}=1i`).join(','),
    ],
  ])('stays linear on %s', (_what, body) => {
    const t0 = performance.now();
    const r = decodeLineProtocol(body, { category: CATEGORY, now: 1n });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.points.length + r.errors.length).toBeGreaterThanOrEqual(0);
  });
});
