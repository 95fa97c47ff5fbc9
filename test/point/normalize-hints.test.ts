/**
 * The decoder hints of normalizePoint: a hint may only skip checks, never
 * change the outcome. `IntakeScreen` is checked entry by entry at its
 * boundaries, and random points (keys with dots, newlines, backslashes,
 * clashes, long keys and values) normalize the same with the hints a
 * decoder would give as without any.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../src/point/category.js';
import {
  DEFAULT_LIMITS,
  HINT_CLEAN_ENTRIES,
  HINT_PLAIN_KEYS,
  type IntakeLimits,
  IntakeScreen,
  normalizePoint,
} from '../../src/point/normalize.js';
import { Point } from '../../src/point/point.js';
import { toTyped } from '../../src/point/typed-json.js';
import { type FieldValue, UInt } from '../../src/point/value.js';

const SMALL: IntakeLimits = {
  ...DEFAULT_LIMITS,
  maxTagKeyLen: 9,
  maxFieldKeyLen: 12,
  maxTagValueLen: 15,
  maxFieldValueLen: 30,
};

describe('IntakeScreen', () => {
  const x = (n: number) => 'x'.repeat(n);
  it.each([
    // limits 9/15: keys up to 3 units, values up to 5 (3 UTF-8 bytes per unit at worst)
    ['short key and value', x(3), x(5), true],
    ['key one unit too long', x(4), x(5), false],
    ['value one unit too long', x(3), x(6), false],
    ['empty value', x(1), '', true],
  ])('tag: %s', (_, key, value, want) => {
    expect(new IntakeScreen('logging', SMALL).tag(key, value)).toBe(want);
  });

  it.each<[string, Category, string, FieldValue, boolean]>([
    ['key at the limit', 'logging', x(4), 1n, true],
    ['key one unit too long', 'logging', x(5), 1n, false],
    ['string at the limit', 'logging', 'k', x(10), true],
    ['string one unit too long', 'logging', 'k', x(11), false],
    ['string in a metric', 'metric', 'k', 'v', false],
    ['bytes at the limit', 'logging', 'k', new Uint8Array(30), true],
    ['bytes one too long', 'logging', 'k', new Uint8Array(31), false],
    ['bytes in a metric', 'metric', 'k', new Uint8Array(1), false],
    ['+Inf', 'logging', 'k', Number.POSITIVE_INFINITY, false],
    ['-Inf', 'logging', 'k', Number.NEGATIVE_INFINITY, false],
    ['NaN', 'logging', 'k', Number.NaN, true],
    ['float', 'metric', 'k', 1.5, true],
    ['bool', 'metric', 'k', false, true],
    ['uint', 'metric', 'k', new UInt(1n), true],
    ['array', 'metric', 'k', ['a'], true],
    ['null', 'logging', 'k', null, true],
  ])('field: %s', (_, category, key, value, want) => {
    expect(new IntakeScreen(category, SMALL).field(key, value)).toBe(want);
  });

  it('uses the default limits when none are given', () => {
    const s = new IntakeScreen('logging');
    expect(s.tag(x(85), x(341))).toBe(true);
    expect(s.tag(x(86), 'v')).toBe(false);
    expect(s.tag('k', x(342))).toBe(false);
  });
});

const keyChar = fc.constantFrom('a', 'b', 'c', '.', '\n', '\\', '_', 'é', '😀');
const key = fc.string({ unit: keyChar, maxLength: 6 });
const value: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.string({ unit: keyChar, maxLength: 20 }),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.constantFrom(1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true),
  fc.uint8Array({ maxLength: 40 }),
);
const category = fc.constantFrom<Category>('logging', 'metric', 'object', 'network');

/** What a decoder may claim about a point, decided independently of normalize.ts. */
function hintsFor(p: Point, cat: Category, limits: IntakeLimits): number {
  const plainKey = (k: string) => k !== '' && !/[.\n\\]/.test(k);
  const plainValue = (v: string) => !/[\n\\]/.test(v);
  for (const [k, v] of p.tags) if (!plainKey(k) || !plainValue(v)) return 0;
  for (const k of p.fields.keys()) if (!plainKey(k)) return 0;
  const screen = new IntakeScreen(cat, limits);
  for (const [k, v] of p.tags) if (!screen.tag(k, v)) return HINT_PLAIN_KEYS;
  for (const [k, v] of p.fields) if (p.tags.has(k) || !screen.field(k, v)) return HINT_PLAIN_KEYS;
  return HINT_PLAIN_KEYS | HINT_CLEAN_ENTRIES;
}

function outcome(p: Point) {
  return { ...toTyped(p), category: p.category, warns: p.warns };
}

describe('normalizePoint hints', () => {
  it('change nothing but the work done', () => {
    let hinted = 0;
    fc.assert(
      fc.property(
        fc.string({ unit: keyChar, maxLength: 4 }),
        fc.array(fc.tuple(key, fc.string({ unit: keyChar, maxLength: 20 })), { maxLength: 4 }),
        fc.array(fc.tuple(key, value), { maxLength: 5 }),
        category,
        fc.boolean(),
        (name, tags, fields, cat, small) => {
          const limits = small ? SMALL : DEFAULT_LIMITS;
          const a = new Point(name, new Map(tags), new Map(fields), 1n);
          const b = a.clone();
          const hints = hintsFor(a, cat, limits);
          if (hints !== 0) hinted++;
          normalizePoint(a, cat, limits, hints);
          normalizePoint(b, cat, limits);
          expect(outcome(a)).toEqual(outcome(b));
        },
      ),
      { numRuns: 3000 },
    );
    expect(hinted).toBeGreaterThan(100); // the generator does reach the hinted paths
  });

  it('trusts HINT_CLEAN_ENTRIES: the entries it vouches for are not checked again', () => {
    // Given falsely (here, dotted keys), the hint shows: the dots stay.
    const p = new Point('m', new Map([['a.b', 'v']]), new Map([['c.d', 1n]]), 1n);
    normalizePoint(p, 'logging', DEFAULT_LIMITS, HINT_PLAIN_KEYS | HINT_CLEAN_ENTRIES);
    expect([...p.tags.keys()]).toEqual(['a.b']);
    const q = new Point('m', new Map([['a.b', 'v']]), new Map([['c.d', 1n]]), 1n);
    normalizePoint(q, 'logging', DEFAULT_LIMITS, 0);
    expect([...q.tags.keys()]).toEqual(['a_b']);
  });
});
