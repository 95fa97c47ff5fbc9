/**
 * The decoders pass hints to normalizePoint about what they saw while
 * reading (plain keys, entries that need no work). A wrong hint would
 * silently skip an intake check, so every call the decoders make is
 * replayed here on a copy of the point without hints, and both outcomes
 * must agree, over inputs built to break the hints: dots, escapes,
 * newlines and non-ASCII in keys, long keys and values, tag/field clashes,
 * repeated keys, infinite floats, metric string fields.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Category } from '../../../src/point/category.js';
import type { IntakeLimits } from '../../../src/point/normalize.js';
import type { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { f64, field, len, points, str, vint } from './pb-bytes.js';

interface Replay {
  hints: number;
  hinted: unknown;
  plain: unknown;
}
const replays: Replay[] = [];

vi.mock('../../../src/point/normalize.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/point/normalize.js')>();
  const outcome = (p: Point) => ({ ...toTyped(p), category: p.category, warns: p.warns });
  return {
    ...real,
    normalizePoint(pt: Point, category: Category, limits?: IntakeLimits, hints = 0): void {
      const copy = pt.clone();
      real.normalizePoint(copy, category, limits);
      real.normalizePoint(pt, category, limits, hints);
      replays.push({ hints, hinted: outcome(pt), plain: outcome(copy) });
    },
  };
});

const { decodeLineProtocol } = await import('../../../src/point/codec/line-protocol.js');
const { decodeProtobuf } = await import('../../../src/point/codec/protobuf.js');
const { HINT_CLEAN_ENTRIES } = await import('../../../src/point/normalize.js');

const SMALL: IntakeLimits = {
  maxTags: 3,
  maxFields: 4,
  maxTagKeyLen: 12,
  maxFieldKeyLen: 12,
  maxTagValueLen: 24,
  maxFieldValueLen: 30,
  maxMeasurementLen: 20,
};
const categories = fc.constantFrom<Category>('logging', 'metric', 'object', 'network');
const limits = fc.constantFrom<IntakeLimits | undefined>(undefined, SMALL);

/** Checks the replays of one decode; returns how many calls carried the clean hint. */
function checkReplays(): number {
  let clean = 0;
  for (const r of replays) {
    expect(r.hinted).toEqual(r.plain);
    if ((r.hints & HINT_CLEAN_ENTRIES) !== 0) clean++;
  }
  replays.length = 0;
  return clean;
}

beforeEach(() => {
  replays.length = 0;
});
afterEach(() => {
  replays.length = 0;
});

const lpKeyChar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('a', 'b', 'k', '_', 'é', 'x') },
  { weight: 1, arbitrary: fc.constantFrom('.', '\\ ', '\\,', '\\=', '\\\\', '\\.') },
);
const lpKey = fc.string({ unit: lpKeyChar, minLength: 1, maxLength: 4 });
const lpValue = fc.oneof(
  fc
    .string({ unit: fc.constantFrom('v', '\\"', '\\\\', '\n', '.', 'é'), maxLength: 14 })
    .map((s) => `"${s}"`),
  fc.constantFrom('1i', '-2i', '3u', '1.5', 'true', 'F', '"YWJj"b', '[1i,2i]'),
);

const lpLine = fc
  .record({
    tags: fc.array(fc.tuple(lpKey, fc.string({ unit: lpKeyChar, minLength: 1, maxLength: 12 })), {
      maxLength: 4,
    }),
    fields: fc.array(fc.tuple(lpKey, lpValue), { minLength: 1, maxLength: 5 }),
    long: fc.boolean(),
  })
  .map(({ tags, fields, long }) => {
    const t = tags.map(([k, v]) => `,${k}=${v}`).join('');
    const f = fields.map(([k, v]) => `${k}=${v}`).join(',');
    return `m${t}${long ? `,${'t'.repeat(90)}=${'v'.repeat(400)}` : ''} ${f} 1700000000000000000`;
  });

describe('line-protocol decoder hints', () => {
  it('agree with the full intake checks', () => {
    let clean = 0;
    fc.assert(
      fc.property(fc.array(lpLine, { minLength: 1, maxLength: 6 }), categories, limits, (lines, cat, lim) => {
        decodeLineProtocol(lines.join('\n'), { category: cat, now: 1n, limits: lim });
        clean += checkReplays();
      }),
      { numRuns: 1500 },
    );
    expect(clean).toBeGreaterThan(50);
  });

  it.each([
    ['dotted tag key', 'm,a.b=1 f=1i', 'logging'],
    ['dotted first char of a tag key', 'm,.b=1 f=1i', 'logging'],
    ['dotted field key', 'm,a=1 f.g=1i', 'logging'],
    ['escaped tag value', 'm,a=x\\\\y f=1i', 'logging'],
    ['escaped field key', 'm f\\ g=1i', 'logging'],
    ['tag/field clash', 'm,a=1 a=1i', 'logging'],
    ['string field in a metric', 'm f="s"', 'metric'],
    ['long tag value', `m,a=${'v'.repeat(400)} f=1i`, 'logging'],
    ['long field key', `m ${'k'.repeat(90)}=1i`, 'logging'],
    ['repeated field key', 'm f="a",f=1i', 'metric'],
  ] as const)('%s', (_, body, cat) => {
    decodeLineProtocol(`${body}\n${body}`, { category: cat, now: 1n });
    expect(replays).toHaveLength(2);
    checkReplays();
  });
});

const pbKey = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', '.', '\n', '\\', 'é'), maxLength: 5 }),
  fc.constantFrom('k'.repeat(40), 'host', 'status', ''),
);
const pbText = fc.oneof(
  fc.string({ unit: fc.constantFrom('v', '.', '\n', '\\', 'é'), maxLength: 8 }),
  fc.constantFrom('v'.repeat(40), 'info', ''),
);
const pbField = fc.oneof(
  fc.tuple(pbKey, pbText).map(([k, v]) => field(k, vint(8, 1), str(11, v))), // tag
  fc.tuple(pbKey, pbText).map(([k, v]) => field(k, str(11, v))),
  fc.tuple(pbKey, fc.bigInt({ min: -3n, max: 3n })).map(([k, v]) => field(k, vint(2, v))),
  fc
    .tuple(pbKey, fc.constantFrom(1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY))
    .map(([k, v]) => field(k, f64(4, v))),
  fc.tuple(pbKey, fc.boolean()).map(([k, v]) => field(k, vint(5, v ? 1 : 0))),
  fc.tuple(pbKey, fc.uint8Array({ maxLength: 40 })).map(([k, v]) => field(k, len(6, v))),
  pbKey.map((k) => field(k)), // no value: dropped with a warning
);
const pbPoint = fc
  .tuple(fc.constantFrom('', 'm', 'n.x'), fc.array(pbField, { maxLength: 6 }))
  .map(([name, fs]) => [...str(1, name), ...fs.flatMap((f) => len(2, f)), ...vint(3, 1)]);

describe('protobuf decoder hints', () => {
  it('agree with the full intake checks', () => {
    let clean = 0;
    fc.assert(
      fc.property(fc.array(pbPoint, { minLength: 1, maxLength: 5 }), categories, limits, (pts, cat, lim) => {
        const res = decodeProtobuf(points(...pts), { category: cat, now: 1n, limits: lim });
        expect(res.errors).toEqual([]);
        clean += checkReplays();
      }),
      { numRuns: 1500 },
    );
    expect(clean).toBeGreaterThan(50);
  });
});
