import { describe, expect, it } from 'vitest';
import { compileGoRegexp, goSplit, translateGoRegexp } from '../../../../src/pipeline/funcs/lib/go-regexp.js';

function re(p: string): RegExp {
  const r = compileGoRegexp(p);
  if (r instanceof Error) throw r;
  return r;
}

describe('goSplit (Go Regexp.Split)', () => {
  it.each([
    // the examples from Go's documentation
    ['a', 'banana', -1, ['b', 'n', 'n', '']],
    ['a', 'banana', 0, []],
    ['a', 'banana', 1, ['banana']],
    ['a', 'banana', 2, ['b', 'nana']],
    ['z+', 'pizza', -1, ['pi', 'a']],
    ['z+', 'pizza', 0, []],
    ['z+', 'pizza', 1, ['pizza']],
    ['z+', 'pizza', 2, ['pi', 'a']],
    ['a*', 'abaabaccadaaae', 5, ['', 'b', 'b', 'c', 'cadaaae']],
    ['', 'abc', -1, ['a', 'b', 'c']],
    ['x*', 'axbxxc', -1, ['a', 'b', 'c']],
    [' ', '', -1, ['']],
    ['=', 'a=b=c', 2, ['a', 'b=c']],
    ['\\s+', ' a  b ', -1, ['', 'a', 'b', '']],
    ['', '😀é', -1, ['😀', 'é']],
  ] as const)('split(%j, %j, %d)', (p, s, n, want) => {
    expect(goSplit(re(p), s, n)).toEqual(want);
  });
});

describe('translateGoRegexp', () => {
  it.each([
    ['\\s', /^[\t\n\f\r ]$/u, ['\t', ' '], ['\v', '\u00a0']],
    ['\\S', /./u, ['a'], ['\t']],
    ['[\\S]', /./u, ['a', '\u00a0'], [' ']],
    ['a.c', /./u, ['abc', 'a\rc'], ['a\nc']],
    ['(?s)a.c', /./u, ['a\nc'], []],
    ['(?i)abc', /./u, ['ABC', 'aBc'], ['abd']],
    ['\\Aab\\z', /./u, ['ab'], ['ab\n', 'xab']],
    ['a{,2}', /./u, ['a{,2}'], ['aa']],
    ['a{2}', /./u, ['aa'], ['a']],
    ['x}]', /./u, ['x}]'], []],
    ['[]a]', /./u, [']', 'a'], ['b']],
    ['[^]a]', /./u, ['b'], [']', 'a']],
    ['[[:digit:]x]+', /./u, ['12x'], []],
    ['\\Qa.b\\E', /./u, ['a.b'], ['axb']],
    ['\\x41\\x{1F600}', /./u, ['A😀'], []],
    ['\\101\\0', /./u, ['A\0'], []],
    ['\\pL\\p{Greek}\\PN', /./u, ['aαb'], ['aα1']],
    ['(?P<k>\\w+)=(?<v>\\d+)', /./u, ['ab=12'], []],
    ['\\-\\:\\=\\#', /./u, ['-:=#'], []],
  ])('%j', (pattern, _unused, yes, no) => {
    const r = compileGoRegexp(`^(?:${pattern.replace(/^\(\?[is]+\)/, '')})$`);
    const flagged = /^\(\?([is]+)\)/.exec(pattern);
    const full = flagged ? compileGoRegexp(`(?${flagged[1]})^(?:${pattern.slice(flagged[0].length)})$`) : r;
    if (full instanceof Error) throw full;
    for (const s of yes) {
      full.lastIndex = 0;
      expect(full.test(s), `${pattern} should match ${JSON.stringify(s)}`).toBe(true);
    }
    for (const s of no) {
      full.lastIndex = 0;
      expect(full.test(s), `${pattern} should not match ${JSON.stringify(s)}`).toBe(false);
    }
  });

  it.each([
    ['a(?i)b', 'unsupported group syntax'],
    ['(?U)a+', 'unsupported flag'],
    ['(?=a)', 'unsupported group syntax'],
    ['[[:^alpha:]]', 'negated POSIX'],
    ['\\1', 'invalid escape sequence'],
    ['\\C', 'invalid escape sequence'],
    ['a\\', 'trailing backslash'],
    ['[a', 'missing closing ]'],
    ['a{1001}', 'invalid repeat count'],
    ['[\\b]', 'invalid escape sequence'],
  ])('rejects %j', (pattern, msg) => {
    const r = translateGoRegexp(pattern);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toContain(msg);
  });

  it('reports patterns the JavaScript engine rejects as errors and caches them', () => {
    const a = compileGoRegexp('a**');
    expect(a).toBeInstanceOf(Error);
    expect(compileGoRegexp('a**')).toBe(a);
  });
});
