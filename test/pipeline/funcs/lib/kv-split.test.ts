import { describe, expect, it } from 'vitest';
import { kvSplit, trimCutset } from '../../../../src/pipeline/funcs/lib/kv-split.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, plString, vectorSuite } from './vectors.js';

function kv(r: Map<string, string> | Error): Record<string, string> {
  if (r instanceof Error) throw r;
  return Object.fromEntries(r);
}

describe('kvSplit', () => {
  it.each([
    ['a=1, b=2 c=3', [' ', '=', '', '', ['a', 'b', 'c'], ''], { a: '1,', b: '2', c: '3' }],
    ['a=1, b=2 c=3', [' ', '=', '', ',', ['a', 'c'], ''], { a: '1', c: '3' }],
    ['a=1, b=2 c=3', [' ', '=', 'a', ',', ['a', 'b', 'c'], 'p_'], { p_b: '2', p_c: '3' }],
    [
      'a::1,+b::2+c::3',
      ['\\+', '[:]{2}', 'a', ',', ['a', 'b', 'c'], 'with_prefix_'],
      { with_prefix_b: '2', with_prefix_c: '3' },
    ],
    ['k=v=w x=', [' ', '=', '', '', ['k', 'x'], ''], { k: 'v=w', x: '' }],
    ['k=1 k=2', [' ', '=', '', '', ['k'], ''], { k: '2' }],
    ['"k"="v"', [' ', '=', '"', '"', ['k'], ''], { k: 'v' }],
    ['a=1  b=2', ['\\s+', '=', '', '', ['a', 'b'], ''], { a: '1', b: '2' }],
    ['a=1 b=2', [' ', '=', '', '', [], ''], {}],
    ['', [' ', '=', '', '', ['a'], ''], {}],
    ['novalue a', [' ', '=', '', '', ['novalue', 'a'], ''], {}],
  ] as const)('%j %j', (text, args, want) => {
    const [f, v, tk, tv, inc, prefix] = args;
    expect(kv(kvSplit(text, f, v, tk, tv, inc, prefix))).toEqual(want);
  });

  it('uses DataKit defaults when only the text and keys are given', () => {
    expect(kv(kvSplit('a=1 b=2', undefined, undefined, undefined, undefined, ['a']))).toEqual({ a: '1' });
  });

  it.each([['('], ['[a'], ['a(?i)b']])('rejects the bad pattern %j', (p) => {
    expect(kvSplit('a=1', p)).toBeInstanceOf(Error);
    expect(kvSplit('a=1', ' ', p)).toBeInstanceOf(Error);
  });

  it.each([
    ['xxhixx', 'x', 'hi'],
    ['abcba', 'ab', 'c'],
    ['😀hi😀', '😀', 'hi'],
    ['hi', '', 'hi'],
    ['', 'x', ''],
    ['xxx', 'x', ''],
  ])('trimCutset(%j, %j)', (s, cut, want) => {
    expect(trimCutset(s, cut)).toBe(want);
  });
});

function namedArg(pl: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(pl);
  return m ? plString(m[1]!) : undefined;
}

describe.skipIf(SHARED_DIR === null)(vectorSuite('kv_split'), () => {
  const cases = casesFor('kv_split');

  it('covers all 12 vectors', () => {
    expect(cases.length).toBe(12);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const inc = /include_keys\s*=\s*\[([^\]]*)\]/.exec(c.pl);
    const keys = inc ? [...inc[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!) : [];
    const got = kvSplit(
      c.in,
      namedArg(c.pl, 'field_split_pattern'),
      namedArg(c.pl, 'value_split_pattern'),
      namedArg(c.pl, 'trim_key'),
      namedArg(c.pl, 'trim_value'),
      keys,
      namedArg(c.pl, 'prefix'),
    );
    const want: Record<string, string> = {};
    for (const [k, v] of Object.entries(outFields(c)!)) if (k !== 'status' && k !== 'message') want[k] = v.s!;
    expect(kv(got)).toEqual(want);
  });
});
