/**
 * Go (RE2) regular expressions run on JavaScript's engine. Scripts written
 * for DataKit pass patterns in Go syntax (`kv_split`'s split patterns, for
 * instance), so they are translated once to an equivalent `u`-mode RegExp:
 * `\s` is ASCII-only, `.` stops only at `\n`, `\A`/`\z`/`\Q…\E`/`(?P<n>…)`,
 * octal and `\x{…}` escapes, POSIX classes and literal `{`/`]` map across.
 * Constructs JavaScript cannot express (inline flag groups after the start,
 * `(?U)`, negated POSIX classes) are reported as errors, never mistranslated.
 *
 * `goSplit` then splits like Go's `Regexp.Split`, including its handling of
 * empty matches.
 */

export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
}

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const SPACE_CLASS_BODY = '\\t\\n\\f\\r ';
const NOT_SPACE_CLASS_BODY = '\\x00-\\x08\\x0b\\x0e-\\x1f\\x21-\\u{10ffff}';

function hexCp(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function isAlnumCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/** Translates one escape at `p[i] === '\\'`; returns [js, next index]. */
function translateEscape(p: string, i: number, inClass: boolean): [string, number] | GoRegexpError {
  const c = p[i + 1];
  if (c === undefined) return new GoRegexpError('trailing backslash at end of expression');
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
      return [`\\${c}`, i + 2];
    case 'b':
    case 'B':
      if (inClass) return new GoRegexpError(`invalid escape sequence: \\${c}`);
      return [`\\${c}`, i + 2];
    case 's':
      return [inClass ? SPACE_CLASS_BODY : `[${SPACE_CLASS_BODY}]`, i + 2];
    case 'S':
      return [inClass ? NOT_SPACE_CLASS_BODY : `[^${SPACE_CLASS_BODY}]`, i + 2];
    case 'A':
      if (inClass) return new GoRegexpError('invalid escape sequence: \\A');
      return ['(?<![\\s\\S])', i + 2];
    case 'z':
      if (inClass) return new GoRegexpError('invalid escape sequence: \\z');
      return ['(?![\\s\\S])', i + 2];
    case 'a':
      return ['\\x07', i + 2];
    case 'f':
    case 't':
    case 'n':
    case 'r':
    case 'v':
      return [`\\${c}`, i + 2];
    case 'x': {
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        const hex = end < 0 ? '' : p.slice(i + 3, end);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff)
          return new GoRegexpError('invalid escape sequence: \\x{');
        return [hexCp(Number.parseInt(hex, 16)), end + 1];
      }
      const hex = p.slice(i + 2, i + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return new GoRegexpError('invalid escape sequence: \\x');
      return [hexCp(Number.parseInt(hex, 16)), i + 4];
    }
    case 'p':
    case 'P': {
      let name: string;
      let next: number;
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end < 0) return new GoRegexpError('invalid character class range');
        name = p.slice(i + 3, end);
        next = end + 1;
      } else {
        name = p[i + 2] ?? '';
        next = i + 3;
      }
      let neg = c === 'P';
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      if (name === '') return new GoRegexpError('invalid character class range');
      const prop = name === 'Any' ? 'Any' : /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
      return [`\\${neg ? 'P' : 'p'}{${prop}}`, next];
    }
    case 'Q': {
      if (inClass) return new GoRegexpError('invalid escape sequence: \\Q');
      const end = p.indexOf('\\E', i + 2);
      const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
      let out = '';
      for (const ch of lit) out += hexCp(ch.codePointAt(0)!);
      return [out, end < 0 ? p.length : end + 2];
    }
    default: {
      if (c >= '0' && c <= '7') {
        // \1-\7 alone would be a backreference, which RE2 rejects
        if (c !== '0' && !isOctal(p[i + 2])) return new GoRegexpError(`invalid escape sequence: \\${c}`);
        let j = i + 2;
        let v = c.charCodeAt(0) - 0x30;
        for (let k = 0; k < 2 && isOctal(p[j]); k++, j++) v = v * 8 + (p.charCodeAt(j) - 0x30);
        return [hexCp(v), j];
      }
      const code = c.charCodeAt(0);
      if (code < 0x80 && !isAlnumCode(code)) return [hexCp(code), i + 2];
      return new GoRegexpError(`invalid escape sequence: \\${c}`);
    }
  }
}

/** A character class starting at `p[i] === '['`; returns [js, next index]. */
function translateClass(p: string, i: number): [string, number] | GoRegexpError {
  let j = i + 1;
  let out = '[';
  if (p[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (;;) {
    const c = p[j];
    if (c === undefined) return new GoRegexpError(`missing closing ]: ${p.slice(i)}`);
    if (c === ']' && !first) return [`${out}]`, j + 1];
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end >= 0) {
        const name = p.slice(j + 2, end);
        if (name.startsWith('^')) return new GoRegexpError(`unsupported negated POSIX class [:${name}:]`);
        const body = POSIX[name];
        if (body === undefined) return new GoRegexpError(`invalid character class range: [:${name}:]`);
        out += body;
        j = end + 2;
        continue;
      }
    }
    if (c === '\\') {
      const t = translateEscape(p, j, true);
      if (t instanceof Error) return t;
      out += t[0];
      j = t[1];
      continue;
    }
    const cp = p.codePointAt(j)!;
    const len = cp > 0xffff ? 2 : 1;
    if (c === '-' || /[0-9A-Za-z]/.test(c)) out += c;
    else out += hexCp(cp);
    j += len;
  }
}

const REPEAT = /^\{(\d+)(,(\d*))?\}/;

export interface GoRegexpSource {
  source: string;
  flags: string;
}

/** Translates a Go pattern to a JavaScript source and flags (always `u`). */
export function translateGoRegexp(pattern: string): GoRegexpSource | GoRegexpError {
  let i = 0;
  let flags = 'u';
  let dotAll = false;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    const f = lead[1]!;
    if (f.includes('U')) return new GoRegexpError('unsupported flag (?U)');
    if (f.includes('i')) flags += 'i';
    if (f.includes('m')) flags += 'm';
    if (f.includes('s')) dotAll = true;
    i = lead[0].length;
  }
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i]!;
    switch (c) {
      case '\\': {
        const t = translateEscape(pattern, i, false);
        if (t instanceof Error) return t;
        out += t[0];
        i = t[1];
        break;
      }
      case '[': {
        const t = translateClass(pattern, i);
        if (t instanceof Error) return t;
        out += t[0];
        i = t[1];
        break;
      }
      case '.':
        out += dotAll ? '[\\s\\S]' : '[^\\n]';
        i++;
        break;
      case '(': {
        if (pattern[i + 1] !== '?') {
          out += '(';
          i++;
          break;
        }
        const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
        if (named) {
          out += `(?<${named[1]}>`;
          i += named[0].length;
        } else if (pattern[i + 2] === ':') {
          out += '(?:';
          i += 3;
        } else
          return new GoRegexpError(`unsupported group syntax at offset ${i}: ${pattern.slice(i, i + 6)}`);
        break;
      }
      case '{': {
        const m = REPEAT.exec(pattern.slice(i));
        if (m) {
          if (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000))
            return new GoRegexpError(`invalid repeat count: ${m[0]}`);
          out += m[0];
          i += m[0].length;
        } else {
          out += '\\{';
          i++;
        }
        break;
      }
      case '}':
      case ']':
        out += `\\${c}`;
        i++;
        break;
      default: {
        const cp = pattern.codePointAt(i)!;
        out += String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
      }
    }
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp | GoRegexpError>();
const CACHE_MAX = 512;

/** Compiles (and caches) a Go pattern as a global JavaScript RegExp. */
export function compileGoRegexp(pattern: string): RegExp | GoRegexpError {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const t = translateGoRegexp(pattern);
  let re: RegExp | GoRegexpError;
  if (t instanceof Error) re = t;
  else {
    try {
      re = new RegExp(t.source, `g${t.flags}`);
    } catch (e) {
      re = new GoRegexpError(`error parsing regexp ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(pattern, re);
  return re;
}

/**
 * Go's `Regexp.Split(s, n)`: at most `n` pieces (all when n < 0); an empty
 * match right after the previous match is skipped, as in Go.
 */
export function goSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s === '') return [''];
  const limit = n < 0 ? s.length + 1 : n;
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  let pos = 0;
  let prevMatchEnd = -1;
  let found = 0;
  while (found < limit && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const mStart = m.index;
    const mEnd = mStart + m[0].length;
    let accept = true;
    if (mEnd === pos) {
      if (mStart === prevMatchEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    } else pos = mEnd;
    prevMatchEnd = mEnd;
    if (!accept) continue;
    found++;
    if (n > 0 && out.length === n - 1) break;
    end = mStart;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}
