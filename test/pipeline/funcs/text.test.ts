/**
 * kv_split, group_between, group_in, cover, sql_cover, slice_string and
 * strfmt as script calls, with their compile-time argument checks.
 */
import { describe, expect, it } from 'vitest';
import type { TypedValue } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';
import { compileError, run } from './script-harness.js';

type Row = [src: string, fields: [string, FieldValue][], want: Record<string, TypedValue>];

function table(rows: Row[]): void {
  for (const [src, fields, want] of rows) {
    it(JSON.stringify(src), () => {
      const r = run(src, fields);
      expect(r.error).toBeUndefined();
      expect(r.fields).toEqual(want);
    });
  }
}

const KV = 'a=1, b=2 c=3';

describe('kv_split', () => {
  table([
    ['kv_split(_)', [['message', KV]], { message: { s: KV } }],
    [
      'add_key(ok, kv_split(_, trim_value=",", include_keys=["a", "c"]))',
      [['message', KV]],
      { message: { s: KV }, a: { s: '1' }, c: { s: '3' }, ok: { b: true } },
    ],
    [
      'keys = ["b"]\nkv_split(_, include_keys=keys, prefix="p_")',
      [['message', KV]],
      { message: { s: KV }, p_b: { s: '2' } },
    ],
    [
      'kv_split(_, "\\\\+", "[:]{2}", trim_key="a", trim_value=",", include_keys=["a", "b", "c"])',
      [['message', 'a::1,+b::2+c::3']],
      { message: { s: 'a::1,+b::2+c::3' }, b: { s: '2' }, c: { s: '3' } },
    ],
    ['add_key(ok, kv_split(m, include_keys=["a"]))', [], { ok: { b: false } }],
    [
      'add_key(ok, kv_split(_, include_keys=["zz"]))',
      [['message', KV]],
      { message: { s: KV }, ok: { b: false } },
    ],
  ]);

  it.each([
    ['kv_split(_, field_split_pattern="(")', /missing|error|unsupported|invalid/i],
    ['kv_split(_, field_split_pattern=x)', /expect StringLiteral/],
    ['kv_split(_, include_keys="a")', /expect ListLiteral or Identifier/],
    ['kv_split(_, prefix=1)', /expect StringLiteral/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('group_between', () => {
  table([
    ['group_between(s, [200, 299], "OK")', [['s', 200n]], { s: { s: 'OK' } }],
    ['group_between(s, [200, 299], "OK", n)', [['s', 250.5]], { s: { f: 250.5 }, n: { s: 'OK' } }],
    ['group_between(s, [-10, -1], false, n)', [['s', '-5']], { s: { s: '-5' }, n: { b: false } }],
    ['group_between(s, [200, 299], 1.5)', [['s', 300n]], { s: { i: '300' } }],
    ['group_between(s, [200, 299], 1)', [], {}],
  ]);

  it('fails the run when the replacement is not a literal', () => {
    expect(run('group_between(s, [1, 2], x)', [['s', 1n]]).error).toBe('unsupported group type');
  });

  it.each([
    ['group_between(s, [1], "a")', /range value/],
    ['group_between(s, ["a", 2], "a")', /range value/],
    ['group_between(s, [3, 2], "a")', /must le end/],
    ['group_between(s, x, "a")', /range value/],
    ['group_between(s, [1, 2])', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('group_in', () => {
  table([
    ['group_in(s, ["warn", "notice"], "warning")', [['s', 'warn']], { s: { s: 'warning' } }],
    ['group_in(s, [200, "x"], 1, "n")', [['s', 200n]], { s: { i: '200' }, n: { i: '1' } }],
    // DeepEqual: an int is not in a set holding the float 200.0
    ['group_in(s, [200.0], 1, "n")', [['s', 200n]], { s: { i: '200' } }],
    ['set = [true]\ngroup_in(s, set, "ok", n)', [['s', true]], { s: { b: true }, n: { s: 'ok' } }],
    ['group_in(s, ["a"], x)', [['s', 'a']], { s: { s: 'a' } }],
    ['group_in(s, "a", "b")', [['s', 'a']], { s: { s: 'a' } }],
  ]);

  it('checks the new key kind', () => {
    expect(compileError('group_in(s, [1], 2, 3)')).toMatch(/param new-key/);
  });
});

describe('cover', () => {
  table([
    ['cover(s, [8, 13])', [['s', '13838130517']], { s: { s: '1383813****' } }],
    ['cover(s, [-2, -1])', [['s', 'abcd']], { s: { s: 'ab**' } }],
    ['cover(s, [1, 100])', [['s', '刘少波']], { s: { s: '＊＊＊' } }],
    ['cover(s, [3, 2])', [['s', 'abc']], { s: { s: 'abc' } }],
    ['cover(s, [1, 2])', [['s', 123n]], { s: { i: '123' } }],
  ]);

  it.each([
    ['cover(s)', /missing required parameter/],
    ['cover(s, "1,2")', /expects ListInitExpr/],
    ['cover(s, [1, 2, 3])', /range value/],
    ['cover(s, ["a", "b"])', /range value/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('sql_cover', () => {
  table([
    ['sql_cover(q)', [['q', 'select a from t where x > 3']], { q: { s: 'select a from t where x > ?' } }],
    ['sql_cover(q)', [], {}],
  ]);
});

describe('slice_string', () => {
  table([
    ['add_key(x, slice_string("█汉字15384073392", 0, 5))', [], { x: { s: '█汉字15' } }],
    ['add_key(x, slice_string("abc", -1, 2))', [], { x: { s: '' } }],
    ['add_key(x, slice_string("abc", 1, 100))', [], { x: { s: 'bc' } }],
  ]);

  it.each([
    ['slice_string("abc", "a", 1)', 'unexpected data type'],
    ['slice_string(1, 0, 1)', 'unexpected data type'],
    ['slice_string("abc", 0)', 'missing required parameter `end`'],
    ['slice_string("abc", 0, 1, 2)', 'too many parameters'],
  ])('compile error %s', (src, want) => {
    expect(compileError(src)).toBe(want);
  });

  it('fails the run for a value of the wrong kind', () => {
    expect(run('n = 1.5\nslice_string("abc", n, 2)').error).toBe('unexpected data type');
  });
});

describe('strfmt', () => {
  table([
    ['strfmt(o, "%d %s %v", 2, "abc", true)', [], { o: { s: '2 abc true' } }],
    ['strfmt(o, "%.4f%d", 2.3, 3)', [], { o: { s: '2.30003' } }],
    ['strfmt(o, "%v %s", a.b, nope)', [], { o: { s: '<nil> %!s(<nil>)' } }],
    ['strfmt(o, "plain")', [], { o: { s: 'plain' } }],
    ['strfmt(o, "%v", 1 / 0)', [], { o: { s: '<nil>' } }],
  ]);

  it.each([
    ['strfmt(o)', /missing required parameter `fmt`/],
    ['strfmt(o, 1)', /param fmt expect StringLiteral/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});
