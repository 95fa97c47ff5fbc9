/**
 * Property tests of the line-protocol forwarder:
 * - bodies generated inside its subset (UTF-8 names and keys, strings with
 *   `\"` `\\` other backslashes, newlines and CRs, ints and uints at their
 *   limits, floats in many spellings, all boolean forms, timestamps in
 *   every precision, none and 0, added tags present or missing) are
 *   forwarded, and equivalent to the ordinary path in both encodings;
 * - arbitrary and hostile bodies (random bytes, LP-like text, damaged
 *   subset bodies) are either declined or forwarded equivalently: never a
 *   result the ordinary decoder would reject or read differently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/point/codec/dispatch.js';
import { type ForwardOptions, forwardLineProtocol } from '../../../src/point/codec/lp-forward.js';
import { type TypedPoint, toTyped } from '../../../src/point/typed-json.js';
import { INT64_MAX, INT64_MIN, UINT64_MAX } from '../../../src/point/value.js';

const NOW = 1_717_200_000_000_000_000n;
const OTHER_NOW = 42n;
const ENCODINGS = ['lp', 'protobuf'] as const;

interface Case {
  body: Uint8Array;
  precision: string;
  addTags: [string, string][];
}

/**
 * The ordinary path's points (decode, then the added tags where missing),
 * or null when it reports an error or a warning (the forwarder must then
 * decline).
 */
function ordinary(c: Case): TypedPoint[] | null {
  const r = decodeBody(c.body, undefined, { category: 'logging', precision: c.precision, now: NOW });
  if (r.errors.length > 0 || r.points.length === 0 || r.points.some((p) => p.warns !== null)) return null;
  for (const p of r.points) for (const [k, v] of c.addTags) if (!p.tags.has(k)) p.tags.set(k, v);
  return r.points.map((p) => toTyped(p));
}

function decodeOutput(out: Uint8Array, enc: 'lp' | 'protobuf'): TypedPoint[] {
  const r =
    enc === 'lp'
      ? decodeBody(out, undefined, { category: 'logging', precision: 'n', now: OTHER_NOW })
      : decodeBody(out, 'application/protobuf', { category: 'logging', now: OTHER_NOW });
  expect(r.errors).toEqual([]);
  for (const p of r.points) expect(p.warns).toBeNull();
  return r.points.map((p) => toTyped(p));
}

/** Forward in both encodings; returns whether it was forwarded, after checking equivalence if so. */
function check(c: Case): boolean {
  let forwarded = 0;
  let want: TypedPoint[] | null | undefined;
  for (const enc of ENCODINGS) {
    const o: ForwardOptions = {
      encoding: enc,
      precision: c.precision,
      nowNs: NOW,
      addTags: c.addTags,
      accept: () => true,
    };
    const r = forwardLineProtocol(c.body, o);
    if (r === null) continue;
    forwarded++;
    if (want === undefined) want = ordinary(c);
    expect(want, 'the ordinary path rejects or changes a forwarded body').not.toBeNull();
    expect(decodeOutput(r.bytes, enc)).toEqual(want);
    expect(r.ends.length).toBe(r.count);
    let from = 0;
    for (let i = 0; i < r.count; i++) {
      expect(decodeOutput(r.bytes.subarray(from, r.ends[i]), enc)).toEqual([want![i]]);
      from = r.ends[i]!;
    }
    expect(from).toBe(r.bytes.length);
  }
  // Both encodings accept exactly the same bodies.
  expect(forwarded === 0 || forwarded === 2).toBe(true);
  return forwarded === 2;
}

// --- generators of the subset -------------------------------------------

const chars = (s: string) => [...s];
/** Plain key characters: no control byte, backslash, quote, `,` space `=` or `.`. */
const KEY_CHARS = chars('abcxyzABZ019_-:/#@~()[]{}<>+*!?|^`\x7f').concat(['é', 'ß', '城', '市', '🚀']);
const keyText = (max: number) =>
  fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 1, maxLength: max });
const name = fc
  .string({ unit: fc.constantFrom(...KEY_CHARS, '.'), minLength: 1, maxLength: 10 })
  .filter((s) => !s.startsWith('#'));
const tagValue = fc.string({ unit: fc.constantFrom(...KEY_CHARS, '.'), minLength: 1, maxLength: 10 });

const int = fc
  .oneof(
    fc.bigInt(INT64_MIN, INT64_MIN + 1000n),
    fc.bigInt(INT64_MAX - 1000n, INT64_MAX),
    fc.bigInt(-(2n ** 34n), 2n ** 34n),
    fc.bigInt(-(2n ** 53n) - 10n, 2n ** 53n + 10n),
    fc.bigInt(INT64_MIN, INT64_MAX),
  )
  .map((v) => `${v}i`);
const uint = fc
  .oneof(
    fc.bigInt(UINT64_MAX - 1000n, UINT64_MAX),
    fc.bigInt(0n, 2n ** 34n),
    fc.bigInt(2n ** 63n - 10n, 2n ** 63n + 10n),
    fc.bigInt(0n, UINT64_MAX),
  )
  .map((v) => `${v}u`);

/** A decimal spelling of `v` in one of several styles, all inside the subset. */
function spell(v: number, style: number): string {
  switch (style) {
    case 0:
      return String(v).replace('e+', 'e');
    case 1:
      return v.toExponential();
    case 2:
      return v.toExponential(Math.min(20, 1 + (Math.abs(Math.floor(v * 7)) % 20))).replace('e', 'E');
    case 3:
      return Math.abs(v) < 1e21 ? v.toFixed(Math.abs(Math.floor(v)) % 8) : String(v);
    default:
      return Object.is(v, -0) ? '-0.0' : String(v);
  }
}
const plainFloat = fc
  .tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(4))
  .map(([v, s]) => spell(v, s))
  .filter((t) => Number.isFinite(Number(t))); // rounding a spelling can overflow: -2E+308
/** Hand-made decimals: digits, fraction, exponent of one to three digits, with and without a leading digit. */
const madeFloat = fc
  .record({
    neg: fc.boolean(),
    int: fc.oneof(fc.constant(''), fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    frac: fc.oneof(fc.constant(null), fc.stringMatching(/^[0-9]{0,20}$/)),
    exp: fc.oneof(fc.constant(null), fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/)),
  })
  .map(({ neg, int, frac, exp }) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp ?? ''}`)
  .filter((t) => /[0-9]/.test(t.replace(/[eE].*/, '')) && Number.isFinite(Number(t)));
const float = fc.oneof(plainFloat, madeFloat);
const bool = fc.constantFrom('t', 'T', 'true', 'True', 'TRUE', 'f', 'F', 'false', 'False', 'FALSE');

/** Raw string content: plain chars, `\"`, `\\` and backslashes before other chars. */
const strPiece = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...chars('ab ,=.[]{}:\n\r\t#bi0'), 'é', '日志', '🚀', '\x00', '\x7f'),
  },
  { weight: 1, arbitrary: fc.constantFrom('\\"', '\\\\', '\\n', '\\t', '\\x', '\\ ', '\\,', '\\\n', '\\é') },
  { weight: 1, arbitrary: fc.string({ minLength: 20, maxLength: 80 }).map((s) => s.replace(/[\\"]/g, '_')) },
);
const str = fc.array(strPiece, { maxLength: 12 }).map((p) => `"${p.join('')}"`);
const value = fc.oneof(int, uint, float, bool, str, str);

/** Timestamp text for a precision: absent, 0, or digits whose ns value fits int64. */
function timestamp(precision: string): fc.Arbitrary<string> {
  const scaled = (scale: bigint, lo: bigint, hi: bigint) => {
    const max = INT64_MAX / scale;
    return fc.bigInt(lo, hi < max ? hi : max).map((v) => ` ${v}`);
  };
  const digits: fc.Arbitrary<string>[] = [];
  switch (precision) {
    case '':
      digits.push(
        scaled(1_000_000_000n, 1n, 9_999_999_999n),
        scaled(1_000_000n, 10n ** 10n, 10n ** 13n - 1n),
        scaled(1_000n, 10n ** 13n, 10n ** 16n - 1n),
        scaled(1n, 10n ** 16n, INT64_MAX),
      );
      break;
    case 'u':
    case 'us':
      digits.push(scaled(1_000n, 1n, INT64_MAX));
      break;
    case 'ms':
      digits.push(scaled(1_000_000n, 1n, INT64_MAX));
      break;
    case 's':
      digits.push(scaled(1_000_000_000n, 1n, INT64_MAX));
      break;
    default:
      digits.push(scaled(1n, 1n, INT64_MAX), scaled(1n, 1n, 2n ** 32n + 5n));
  }
  return fc.oneof(fc.constant(''), fc.constant(' 0'), ...digits);
}

const PRECISIONS = ['', 'n', 'ns', 'u', 'us', 'ms', 's'];

/** One line: distinct keys split into tags and fields, values, a timestamp. */
function lineOf(precision: string, keys: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      name,
      nTags: fc.nat(keys.length - 1),
      tagValues: fc.array(tagValue, { minLength: keys.length, maxLength: keys.length }),
      values: fc.array(value, { minLength: keys.length, maxLength: keys.length }),
      ts: timestamp(precision),
    })
    .map(({ name, nTags, tagValues, values, ts }) => {
      const tags = keys.slice(0, nTags).map((k, i) => `,${k}=${tagValues[i]}`);
      const fields = keys.slice(nTags).map((k, i) => `${k}=${values[nTags + i]}`);
      return `${name}${tags.join('')} ${fields.join(',')}${ts}`;
    });
}

/** A body in the subset: a precision, one to four lines sharing their keys, and fresh added tags. */
const subsetCase: fc.Arbitrary<Case> = fc
  .record({
    precision: fc.constantFrom(...PRECISIONS),
    keys: fc.uniqueArray(keyText(8), { minLength: 1, maxLength: 8 }),
    fresh: fc.uniqueArray(keyText(6), { maxLength: 2 }),
    addValues: fc.array(
      fc.string({ unit: fc.constantFrom(...KEY_CHARS, ',', '=', ' ', '.'), minLength: 1, maxLength: 6 }),
      {
        minLength: 3,
        maxLength: 3,
      },
    ),
    lines: fc.integer({ min: 1, max: 4 }),
    blankLines: fc.boolean(),
    trailingNewline: fc.boolean(),
  })
  .chain((r) =>
    fc.tuple(
      fc.constant(r),
      fc.array(lineOf(r.precision, r.keys), { minLength: r.lines, maxLength: r.lines }),
    ),
  )
  .map(([r, lines]) => {
    // Added keys are fresh: a line key may be a field in some line (added tags named like a line tag
    // are covered below).
    const fresh = r.fresh.filter((k) => !r.keys.includes(k));
    const addTags = fresh.map((k, i) => [k, r.addValues[i]!] as [string, string]);
    let text = lines.join(r.blankLines ? '\n\n' : '\n');
    if (r.trailingNewline) text += '\n';
    return { body: new Uint8Array(Buffer.from(text, 'utf8')), precision: r.precision, addTags };
  });

describe('bodies inside the subset', () => {
  it('are forwarded, equivalent to the ordinary path in both encodings', () => {
    fc.assert(
      fc.property(subsetCase, (c) => {
        expect(check(c), Buffer.from(c.body).toString()).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('with lines repeating their measurement and tags (written once, then copied), as the ordinary path', () => {
    // Lines draw their measurement and tags from two heads, so copies of the previous head, heads
    // written anew, and heads that differ in one byte or in length follow each other.
    const headedCase: fc.Arbitrary<Case> = fc
      .record({
        precision: fc.constantFrom(...PRECISIONS),
        keys: fc.uniqueArray(keyText(8), { minLength: 2, maxLength: 6 }),
        fresh: fc.uniqueArray(keyText(6), { maxLength: 2 }),
        heads: fc.array(fc.record({ name, tagValues: fc.array(tagValue, { minLength: 6, maxLength: 6 }) }), {
          minLength: 2,
          maxLength: 2,
        }),
        nTags: fc.nat(5),
      })
      .chain((r) =>
        fc.tuple(
          fc.constant(r),
          fc.array(
            fc.record({
              head: fc.nat(1),
              values: fc.array(value, { minLength: 6, maxLength: 6 }),
              ts: timestamp(r.precision),
            }),
            { minLength: 1, maxLength: 8 },
          ),
        ),
      )
      .map(([r, lines]) => {
        const nTags = Math.min(r.nTags, r.keys.length - 1);
        const text = lines
          .map((l) => {
            const h = r.heads[l.head]!;
            const tags = r.keys.slice(0, nTags).map((k, i) => `,${k}=${h.tagValues[i]}`);
            const fields = r.keys.slice(nTags).map((k, i) => `${k}=${l.values[i]}`);
            return `${h.name}${tags.join('')} ${fields.join(',')}${l.ts}`;
          })
          .join('\n');
        const fresh = r.fresh.filter((k) => !r.keys.includes(k));
        const addTags = fresh.map((k) => [k, 'added-value'] as [string, string]);
        return { body: new Uint8Array(Buffer.from(text, 'utf8')), precision: r.precision, addTags };
      });
    fc.assert(
      fc.property(headedCase, (c) => {
        expect(check(c), Buffer.from(c.body).toString()).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('with an added tag named like a line tag, keep the line value', () => {
    fc.assert(
      fc.property(keyText(6), tagValue, tagValue, (k, own, added) => {
        const body = new Uint8Array(Buffer.from(`m,${k}=${own} zz0=1i\nm zz0=2i`));
        expect(check({ body, precision: 'n', addTags: [[k, added]] })).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

// --- hostile bodies ---------------------------------------------------------

const lpChars = fc.constantFrom(...chars('m,= "\\\n\r\t#[]0123456789.-+eEiutTfFbaNx'), '\x00', 'é', '🚀');

describe('any other body', () => {
  const options = fc.record({
    precision: fc.constantFrom(...PRECISIONS, 'm', 'h', 'x'),
    addTags: fc.constantFrom<[string, string][]>([], [['host', 'h']], [['f', 'x']], [['a.b', 'x']]),
  });

  it('random bytes: declined or forwarded equivalently', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), options, (body, o) => {
        check({ body, ...o });
      }),
      { numRuns: 500 },
    );
  });

  it('random LP-like text: declined or forwarded equivalently', () => {
    fc.assert(
      fc.property(fc.string({ unit: lpChars, maxLength: 120 }), options, (text, o) => {
        check({ body: new Uint8Array(Buffer.from(text, 'utf8')), ...o });
      }),
      { numRuns: 1500 },
    );
  });

  it('damaged subset bodies: declined or forwarded equivalently', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), lpChars);
    fc.assert(
      fc.property(subsetCase, fc.array(edit, { minLength: 1, maxLength: 3 }), (c, edits) => {
        let text = Buffer.from(c.body).toString('utf8');
        for (const [at, op, ch] of edits) {
          const i = text.length === 0 ? 0 : at % text.length;
          if (op === 'insert') text = text.slice(0, i) + ch + text.slice(i);
          else if (op === 'delete') text = text.slice(0, i) + text.slice(i + 1);
          else text = text.slice(0, i) + ch + text.slice(i + 1);
        }
        check({ ...c, body: new Uint8Array(Buffer.from(text, 'utf8')) });
      }),
      { numRuns: 1500 },
    );
  });

  it('damaged bytes of subset bodies (UTF-8 cut apart): declined or forwarded equivalently', () => {
    fc.assert(
      fc.property(subsetCase, fc.nat(), fc.integer({ min: 0, max: 255 }), (c, at, byte) => {
        const body = Uint8Array.from(c.body);
        if (body.length > 0) body[at % body.length] = byte;
        check({ ...c, body });
      }),
      { numRuns: 800 },
    );
  });
});
