/**
 * The per-point shortcuts in the built-in functions (memos, fast paths for
 * the common input shapes) against the general routes they skip: same
 * output, same errors, for the common case and its edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castTo } from '../../../src/pipeline/funcs/cast.js';
import { cover } from '../../../src/pipeline/funcs/lib/cover.js';
import { goUnescape } from '../../../src/pipeline/funcs/lib/url-unescape.js';
import { compileScript } from '../../../src/pipeline/index.js';
import { floatToInt64, toGoFloat, type Value } from '../../../src/pipeline/lang/values.js';
import { Point } from '../../../src/point/point.js';
import { clockAt, run } from './script-harness.js';

/** cover() as a plain rune-array walk, the shape the fast path must agree with. */
function coverByRunes(value: string, start: number, end: number): string | null {
  const runes = Array.from(value);
  const n = runes.length;
  let s = Math.trunc(start);
  let e = Math.trunc(end);
  if (e > n) e = n;
  if (e < 0) e += n + 1;
  if (s <= 0) s += n + 1;
  if (s > e) return null;
  for (let i = 0; i < n; i++) {
    if (i + 1 >= s && i < e) runes[i] = /\p{Script=Han}/u.test(runes[i]!) ? '＊' : '*';
  }
  return runes.join('');
}

describe('cover fast path', () => {
  it.each([
    ['13838130517', -200, -100, '13838130517'], // both bounds before the start: nothing masked
    ['abc', -5, 2, '**c'],
    ['a⺀b', 1, 3, '*＊*'], // U+2E80 is the first Han code point
    ['a⹿b', 1, 3, '***'], // U+2E7F is not Han
    ['刘\ud83d', 1, 2, '＊*'], // a lone surrogate takes the rune route
  ])('cover(%j, [%d, %d])', (s, a, b, want) => {
    expect(cover(s, a, b)).toBe(want);
  });

  it('agrees with the rune walk on any text and range', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '1', ' ', '刘', '少', 'é', '😀', '\ud800', '⺀') });
    fc.assert(
      fc.property(text, fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), (s, a, b) => {
        expect(cover(s, a, b)).toBe(coverByRunes(s, a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('goUnescape fast path', () => {
  const modes = ['path', 'queryComponent', 'fragment', 'userPassword'] as const;

  it('returns text without % and + unchanged in every non-host mode', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '/', '?', ' ', 'é', '😀', '\ud800', '=', '&', ';') });
    fc.assert(
      fc.property(text, fc.constantFrom(...modes), (s, mode) => {
        expect(goUnescape(s, mode)).toBe(s);
      }),
    );
  });

  it.each([
    ['example.com:80', 'host', 'example.com:80'],
    ['exämple.com', 'host', 'exämple.com'],
    ['a b.com', 'host', 'invalid character " " in host name'],
    ['a/b', 'zone', 'invalid character "/" in host name'],
    ['a+b', 'queryComponent', 'a b'],
    ['a+b', 'path', 'a+b'],
    ['%41+', 'path', 'A+'],
    ['%zz', 'path', 'invalid URL escape "%zz"'],
  ] as const)('goUnescape(%j, %s)', (s, mode, want) => {
    const got = goUnescape(s, mode);
    expect(got instanceof Error ? got.message : got).toBe(want);
  });
});

describe('cast int fast path', () => {
  const int = castTo('int')!;
  const viaFloat = (v: Value) => (typeof v === 'bigint' ? v : floatToInt64(toGoFloat(v)));

  it.each([
    '0',
    '007',
    '200',
    '999999999999999',
    '9999999999999999',
    '12345678901234567890',
    '',
    '-5',
    '+5',
    '1e3',
    '12.7',
    ' 12',
    '0x1f',
    'abc',
    '١٢',
  ])('%j casts as through the float route', (s) => {
    expect(int(s)).toBe(viaFloat(s));
  });

  it('agrees with the float route on digit strings of any length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{0,22}$/), (s) => {
        expect(int(s)).toBe(viaFloat(s));
      }),
    );
  });

  it('rejects inherited names as cast targets', () => {
    const c = compileScript('cast(a, "constructor")', { name: 't.p' });
    expect(c.ok).toBe(false);
    expect(castTo('toString')).toBeUndefined();
  });
});

describe('default_time memo', () => {
  function script(src: string) {
    const c = compileScript(src, { name: 't.p' });
    if (!c.ok) throw c.error;
    return c.script;
  }
  const at = (text: string) => new Point('p', new Map(), new Map([['t', text]]), 5n);

  it('gives the same time for a repeated text, and a new one for a new text', () => {
    const s = script('default_time(t)');
    const texts = ['10/Oct/2023:13:55:36 -0700', '10/Oct/2023:13:55:36 -0700', '10/Oct/2023:13:55:37 -0700'];
    const got = texts.map((x) => {
      const p = at(x);
      s.run(p, { tz: 'UTC' });
      return p.fields.get('t');
    });
    expect(got).toEqual([1696971336000000000n, 1696971336000000000n, 1696971337000000000n]);
  });

  it('reads the text again when the local zone or the zone argument changes', () => {
    const s = script('default_time(t)');
    const p1 = at('2023-10-10 13:55:36');
    s.run(p1, { tz: 'UTC' });
    const p2 = at('2023-10-10 13:55:36');
    s.run(p2, { tz: 'Asia/Shanghai' });
    expect((p1.fields.get('t') as bigint) - (p2.fields.get('t') as bigint)).toBe(8n * 3600n * 1_000_000_000n);

    const z = script('tz = _\ndefault_time(t, tz)');
    const q1 = new Point(
      'p',
      new Map(),
      new Map([
        ['t', '2023-10-10 13:55:36'],
        ['message', 'UTC'],
      ]),
      5n,
    );
    z.run(q1, { tz: 'UTC' });
    const q2 = new Point(
      'p',
      new Map(),
      new Map([
        ['t', '2023-10-10 13:55:36'],
        ['message', '+8'],
      ]),
      5n,
    );
    z.run(q2, { tz: 'UTC' });
    expect((q1.fields.get('t') as bigint) - (q2.fields.get('t') as bigint)).toBe(8n * 3600n * 1_000_000_000n);
  });

  it('repeats a failure with its message', () => {
    const s = script('default_time(t)');
    for (let i = 0; i < 2; i++) {
      const p = at('not a time');
      s.run(p, { tz: 'UTC' });
      expect(p.fields.get('t')).toBe(5n);
      expect(p.fields.get('pl_msg')).toMatch(/^time convert failed: /);
    }
  });

  it('does not remember a year-less text, whose year comes from the clock', () => {
    const text = '10 Oct 13:55:36.000';
    const y2023 = run('default_time(t)', [['t', text]], { services: clockAt(1696946136000000000n) });
    const y2024 = run('default_time(t)', [['t', text]], { services: clockAt(1728568536000000000n) });
    expect(y2023.error).toBeUndefined();
    expect((y2024.pt.fields.get('t') as bigint) - (y2023.pt.fields.get('t') as bigint)).toBe(
      366n * 86400n * 1_000_000_000n,
    );

    // the same call site, two clocks
    const c = compileScript('default_time(t)', { name: 't.p' });
    if (!c.ok) throw c.error;
    const a = at(text);
    c.script.run(a, { tz: 'UTC', services: clockAt(1696946136000000000n) });
    const b = at(text);
    c.script.run(b, { tz: 'UTC', services: clockAt(1728568536000000000n) });
    expect((b.fields.get('t') as bigint) - (a.fields.get('t') as bigint)).toBe(
      366n * 86400n * 1_000_000_000n,
    );
  });
});

describe('user_agent memo', () => {
  const chrome =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Safari/537.36';

  it('gives every line its own keys from a remembered header', () => {
    const c = compileScript('user_agent(a)', { name: 't.p' });
    if (!c.ok) throw c.error;
    const headers = [
      chrome,
      'curl/8.0.1',
      chrome,
      `${chrome} ${'x'.repeat(600)}`,
      `${chrome} ${'x'.repeat(600)}`,
    ];
    const got = headers.map((h) => {
      const p = new Point('p', new Map(), new Map([['a', h]]), 5n);
      c.script.run(p, { tz: 'UTC' });
      return [p.fields.get('browser'), p.fields.get('os')];
    });
    expect(got).toEqual([
      ['Chrome', 'Linux x86_64'],
      ['curl', ''],
      ['Chrome', 'Linux x86_64'],
      ['Chrome', 'Linux x86_64'],
      ['Chrome', 'Linux x86_64'],
    ]);
  });
});

describe('lowercase/uppercase on the point and on variables', () => {
  it.each([
    ['lowercase(k)', [['k', 'AbC']], {}, { k: { s: 'abc' } }, {}],
    ['lowercase(k)', [['k', 'abc']], {}, { k: { s: 'abc' } }, {}],
    ['uppercase(k)', [['k', 12n]], {}, { k: { s: '12' } }, {}],
    ['uppercase(k)', [], { k: 'ab' }, {}, { k: 'AB' }],
    ['uppercase(k)', [['k', null]], {}, { k: { n: null } }, {}],
    ['k = "AB"\nlowercase(k)', [['k', 'XY']], {}, { k: { s: 'ab' } }, {}],
    ['k = "ab"\nlowercase(k)', [], {}, { k: { s: 'ab' } }, {}],
  ] as const)('%j', (src, fields, tags, wantFields, wantTags) => {
    const r = run(src, fields as never, { tags: Object.entries(tags) });
    expect(r.error).toBeUndefined();
    expect(r.fields).toEqual(wantFields);
    expect(r.tags).toEqual(wantTags);
  });
});

describe('json flags decided at compile time', () => {
  const body = '{"a":" x ","b":{"c":1}}';
  it.each([
    ['json(_, a)', { a: { s: 'x' } }],
    ['json(_, a, a, false)', { a: { s: ' x ' } }],
    ['json(_, a, a, nil)', { a: { s: ' x ' } }],
    ['t = false\njson(_, a, a, t)', { a: { s: ' x ' } }],
    ['json(_, b.c, c, true, true)', { c: { f: 1 }, message: { s: '{"a":" x ","b":{}}' } }],
    ['d = true\njson(_, b.c, c, true, d)', { c: { f: 1 }, message: { s: '{"a":" x ","b":{}}' } }],
    ['json(_, b.c, c, true, false)', { c: { f: 1 } }],
  ])('%j', (src, want) => {
    const r = run(src, [['message', body]]);
    expect(r.error).toBeUndefined();
    expect(r.fields).toMatchObject(want);
    if (!('message' in want)) expect(r.fields.message).toEqual({ s: body });
  });
});

describe('grok writing captures straight to the point', () => {
  it.each([
    ['grok(_, "%{INT:n:int} %{WORD:w}")', '12 ab', { n: { i: '12' }, w: { s: 'ab' } }],
    ['grok(_, "%{INT:n:float}\\\\s+(?P<w>.*)")', '12   ab ', { n: { f: 12 }, w: { s: 'ab' } }],
    ['grok(_, "%{INT:n}\\\\s+(?P<w>.*)", false)', '12   ab ', { n: { s: '12' }, w: { s: 'ab ' } }],
    ['grok(_, "%{INT:n}(?P<w>x)?")', '12', { n: { s: '12' }, w: { s: '' } }],
  ])('%s on %j', (src, input, want) => {
    const r = run(src, [['message', input]]);
    expect(r.error).toBeUndefined();
    expect(r.fields).toMatchObject(want);
  });

  it('returns false and writes nothing when the pattern does not match', () => {
    const r = run('ok = grok(_, "%{INT:n}")\nadd_key(ok, ok)', [['message', 'abc']]);
    expect(r.fields).toEqual({ message: { s: 'abc' }, ok: { b: false } });
  });
});

describe('json paths never reach inherited members', () => {
  it.each([
    ['json(_, toString, x)', '{"a":1}', false],
    ['json(_, constructor, x)', '{"a":1}', false],
    ['json(_, `__proto__`, x)', '{"a":1}', false],
    ['json(_, a.hasOwnProperty, x)', '{"a":{"b":1}}', false],
    ['json(_, `__proto__`, x)', '{"__proto__":"own"}', true],
    ['json(_, a.constructor, x)', '{"a":{"constructor":"own"}}', true],
  ])('%s on %s', (src, body, found) => {
    const r = run(`ok = ${src}\nadd_key(ok, ok)`, [['message', body]]);
    expect(r.error).toBeUndefined();
    expect(r.fields.ok).toEqual({ b: found });
    if (found) expect(r.fields.x).toEqual({ s: 'own' });
    else expect(r.fields.x).toBeUndefined();
  });
});
