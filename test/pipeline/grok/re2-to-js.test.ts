import { describe, expect, it } from 'vitest';
import { GrokError, translateRe2 } from '../../../src/pipeline/grok/index.js';

function compile(re2: string): { re: RegExp; bmp: RegExp | null; names: string[] } {
  const t = translateRe2(re2);
  if (t instanceof GrokError) throw t;
  return {
    re: new RegExp(t.source, 'u'),
    bmp: t.bmpSource === null ? null : new RegExp(t.bmpSource),
    names: t.names,
  };
}

/** The whole match and every capture, as RE2 would report them (null: no match). */
function run(re2: string, input: string): (string | undefined)[] | null {
  const m = compile(re2).re.exec(input);
  return m === null ? null : [...m];
}

describe('translateRe2: source shape', () => {
  it.each([
    ['(?P<a>x)(y)(?:z)', '(x)(?:y)(?:z)', ['a']],
    ['(?<a>x)', '(x)', ['a']],
    ['a.b', 'a[^\\n]b', []],
    ['(?s)a.b', 'a[^]b', []],
    ['\\s+\\S', '[\\t\\n\\f\\r ]+[^\\t\\n\\f\\r ]', []],
    ['\\d\\w\\D\\W\\b', '\\d\\w\\D\\W\\b', []],
    ['\\Aa\\z', '^a$', []],
    ['(?m)^a$', '(?<![^\\n])a(?![^\\n])', []],
    ['(?i)k', '[Kk\\u212a]', []],
    ['\\Qa.b*\\E', 'a\\.b\\*', []],
    ['x{2}y{1,}z{0,3}?', 'x{2}y+z{0,3}?', []],
    ['(?U)a*b*?', 'a*?b*', []],
    ['{x}', '\\{x\\}', []],
    ['[[:digit:]]', '[0-9]', []],
    ['\\x41\\101\\x{42}', 'AAB', []],
    ['%{DATA:}', '%\\{DATA:\\}', []],
  ])('%s -> %s', (re2, js, names) => {
    const t = translateRe2(re2);
    if (t instanceof GrokError) throw t;
    expect(t.source).toBe(js);
    expect(t.names).toEqual(names);
  });

  it('keeps duplicate group names as separate groups', () => {
    expect(compile('(?P<n>a)|(?P<n>b)').names).toEqual(['n', 'n']);
  });
});

describe('translateRe2: RE2 semantics', () => {
  it.each([
    // . excludes only \n (JS's also excludes \r, U+2028, U+2029)
    ['a.b', 'a\rb', ['a\rb']],
    ['a.b', 'a\u2028b', ['a\u2028b']],
    ['a.b', 'a\nb', null],
    ['(?s:a.b)', 'a\nb', ['a\nb']],
    ['(?s)a.b|c.d', 'c\nd', ['c\nd']],
    // flags last until the end of their group, across |
    ['(?:a(?i)b|c)C', 'cC', ['cC']],
    ['(?:a(?i)b)B', 'aBB', ['aBB']],
    ['(?:a(?i)b)B', 'aBb', null],
    ['(?i:a)a', 'Aa', ['Aa']],
    ['(?i:a)a', 'AA', null],
    ['(?i)(?-i:a)b', 'aB', ['aB']],
    // \s is ASCII only; [[:space:]] adds \v
    ['\\s', '\u00a0', null],
    ['\\s', '\v', null],
    ['[[:space:]]', '\v', ['\v']],
    // \w and \b are ASCII
    ['\\w+', 'é', null],
    ['\\bé', ' é', null],
    // $ is end of text only (no final-\n allowance); (?m) looks at \n only
    ['a$', 'a\n', null],
    ['(?m)a$', 'a\n', ['a']],
    ['(?m)a$', 'a\r', null],
    ['(?m)^b', 'a\rb', null],
    ['(?m)^b', 'a\nb', ['b']],
    // code points, not UTF-16 units
    ['^.$', '😀', ['😀']],
    ['^[^a]$', '😀', ['😀']],
    ['^\\pL$', '𐐀', ['𐐀']],
    ['^\\p{Greek}+$', 'αβγ', ['αβγ']],
    ['^\\PL$', '1', ['1']],
    ['^\\p{^L}$', 'a', null],
    ['^[\\p{Lu}\\d]+$', 'A1B', ['A1B']],
    ['^\\p{Any}$', '\n', ['\n']],
    // RE2's \p{C} has no unassigned code points
    ['\\p{C}', '\u0378', null],
    ['\\p{C}', '\u0000', ['\u0000']],
    // case folding follows Unicode orbits
    ['(?i)k', '\u212a', ['\u212a']],
    ['(?i)s', '\u017f', ['\u017f']],
    ['(?i)\\w', '\u017f', ['\u017f']],
    ['(?i)\\W', '\u017f', null],
    ['(?i)[a-c]+', 'AbC', ['AbC']],
    ['(?i)[^k]', '\u212a', null],
    ['(?i)i', '\u0131', null],
    ['(?i)σ', 'ς', ['ς']],
    ['(?i)\\p{Lu}', 'a', ['a']],
    ['(?i)[[:upper:]]', 'k', ['k']],
    // classes
    ['[]a]+', ']a]', [']a]']],
    ['[^]a]', ']', null],
    ['[a-]+', 'a-', ['a-']],
    ['[\\d-z]+', '1-z', ['1-z']],
    ['[[:^alpha:]x]+', '1x', ['1x']],
    ['[[:word:]]+', 'a_1', ['a_1']],
    ['[:alpha:]+', 'hal', ['hal']],
    ['[\\x{1F600}-\\x{1F64F}]', '🙂', ['🙂']],
    // literal braces
    ['a{,2}', 'a{,2}', ['a{,2}']],
    ['a{01}', 'a{01}', ['a{01}']],
    ['x{', 'x{', ['x{']],
    // an optional part that matches empty keeps the empty match (RE2 order)
    ['^a(?P<x>.*?)?', 'abc', ['a', '']],
    ['^a(?P<x>b??)?c', 'abc', ['abc', 'b']],
    // leftmost-first alternation
    ['a|ab', 'ab', ['a']],
    ['(?P<x>a|ab)(?P<y>c|bcd)', 'abcd', ['abcd', 'a', 'bcd']],
  ])('%j on %j', (re2, input, want) => {
    expect(run(re2, input)).toEqual(want);
  });

  it('matches the RE2 result with the flag-less twin on input without surrogates', () => {
    const cases: [string, string][] = [
      ['(?i)(?P<k>k+)\\s*(?P<r>.*)', 'K\u212ak  rest\r'],
      ['[^"]*"(?P<q>[^"]*)"', 'x "quoted é" y'],
      ['\\p{Greek}+', 'abc αβγ'],
      ['(?s)a.+z', 'a\n\nz'],
    ];
    for (const [re2, input] of cases) {
      const c = compile(re2);
      expect(c.bmp).not.toBeNull();
      expect(c.bmp!.exec(input)?.slice()).toEqual(c.re.exec(input)?.slice());
    }
  });

  it('offers no flag-less twin where V8 could not run it linearly', () => {
    expect(compile('(?m)^a').bmp).toBeNull();
    expect(compile('a{0,62}').bmp).toBeNull();
    expect(compile('(?:a{4}){5}').bmp).toBeNull();
    expect(compile('(?:a{4}){4}').bmp).not.toBeNull();
  });
});

describe('translateRe2: errors', () => {
  it.each([
    ['a**', 'regex_syntax', 'invalid nested repetition operator: `**`'],
    ['a*?+', 'regex_syntax', 'invalid nested repetition operator: `*?+`'],
    ['a{2}{3}', 'regex_syntax', 'invalid nested repetition operator: `{2}{3}`'],
    ['*a', 'regex_syntax', 'missing argument to repetition operator: `*`'],
    ['a|+', 'regex_syntax', 'missing argument to repetition operator: `+`'],
    ['{2}', 'regex_syntax', 'missing argument to repetition operator: `{2}`'],
    ['x{1001}', 'regex_syntax', 'invalid repeat count: `{1001}`'],
    ['x{3,2}', 'regex_syntax', 'invalid repeat count: `{3,2}`'],
    ['(x{100}){11}', 'regex_syntax', 'invalid repeat count: `{11}`'],
    ['a)', 'regex_syntax', 'unexpected ): `a)`'],
    ['(a', 'regex_syntax', 'missing closing ): `(a`'],
    ['[a', 'regex_syntax', 'missing closing ]: `[a`'],
    ['[]', 'regex_syntax', 'missing closing ]: `[]`'],
    ['[z-a]', 'regex_syntax', 'invalid character class range: `z-a`'],
    ['[[:foo:]]', 'regex_syntax', 'invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'regex_syntax', 'invalid character class range: `\\p{Foo}`'],
    ['\\p{Grek}', 'regex_syntax', 'invalid character class range: `\\p{Grek}`'],
    ['\\pL\\p{L', 'regex_syntax', 'invalid character class range: `\\p{L`'],
    ['\\x4', 'regex_syntax', 'invalid escape sequence: `\\x4`'],
    ['\\x{110000}', 'regex_syntax', 'invalid escape sequence: `\\x{110000}`'],
    ['\\e', 'regex_syntax', 'invalid escape sequence: `\\e`'],
    ['\\Z', 'regex_syntax', 'invalid escape sequence: `\\Z`'],
    ['[\\b]', 'regex_syntax', 'invalid escape sequence: `\\b`'],
    ['\\é', 'regex_syntax', 'invalid escape sequence: `\\é`'],
    ['a\\', 'regex_syntax', 'trailing backslash at end of expression: ``'],
    ['(?P<a-b>x)', 'regex_syntax', 'invalid named capture: `(?P<a-b>`'],
    ['(?P<>x)', 'regex_syntax', 'invalid named capture: `(?P<>`'],
    ['(?x)a', 'regex_syntax', 'invalid or unsupported Perl syntax: `(?x`'],
    ['(?i-)a', 'regex_syntax', 'invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?=a)', 'regex_unsupported', 'lookahead `(?=` is not supported by RE2'],
    ['(?!a)', 'regex_unsupported', 'lookahead `(?!` is not supported by RE2'],
    ['(?<=a)b', 'regex_unsupported', 'lookbehind `(?<=` is not supported by RE2'],
    ['(?<!a)b', 'regex_unsupported', 'lookbehind `(?<!` is not supported by RE2'],
    ['(a)\\1', 'regex_unsupported', 'invalid escape sequence: `\\1` (RE2 has no backreferences)'],
    ['(?P<n>a)(?P=n)', 'regex_unsupported', 'backreference `(?P=` is not supported by RE2'],
    ['\\C', 'regex_unsupported', 'invalid escape sequence: `\\C` (RE2 in Go does not match single bytes)'],
    ['(?>a)', 'regex_unsupported', 'invalid or unsupported Perl syntax: `(?>`'],
  ])('%j', (re2, code, message) => {
    const t = translateRe2(re2);
    expect(t).toBeInstanceOf(GrokError);
    const e = t as GrokError;
    expect(e.code).toBe(code);
    expect(e.message).toBe(`error parsing regexp: ${message}`);
    expect(e.pattern).toBe(re2);
    expect(typeof e.offset).toBe('number');
  });

  it('rejects nesting deeper than RE2 allows', () => {
    const deep = `${'('.repeat(1001)}a${')'.repeat(1001)}`;
    const t = translateRe2(deep);
    expect(t).toBeInstanceOf(GrokError);
    expect((t as GrokError).message).toContain('expression nests too deeply');
  });

  it.each(['a(?i)*', '^*', '\\b+', '(?)a', '(?i-i)a', '\\12', '\\08', '[\\x{10FFFF}]'])(
    'accepts %j as RE2 does',
    (re2) => {
      expect(translateRe2(re2)).not.toBeInstanceOf(GrokError);
    },
  );
});
