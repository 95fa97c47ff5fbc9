/**
 * Translate an RE2 regex (Go `regexp` syntax, as DataKit's grok uses it) to
 * JavaScript RegExp source with the same matching semantics.
 *
 * Design notes:
 * - Target: a regex with the `u` flag. Go matches runes, and only `u` makes
 *   `.`, `[^x]` and `\p{..}` work on code points too. No other JS flag is
 *   used: RE2's `i`, `m`, `s` and `U` can apply to part of a pattern, which
 *   JS (Node 20) cannot express, so each is emulated where it acts: `(?i)`
 *   turns letters into case-orbit classes, `(?s)` picks `[^]` over `[^\n]`
 *   for `.`, `(?m)` turns `^`/`$` into lookarounds on `\n`, `(?U)` swaps
 *   greedy and lazy quantifiers.
 * - RE2's `.` excludes only `\n` (JS's also excludes `\r`, U+2028, U+2029)
 *   and its `\s` is ASCII `[\t\n\f\r ]`, so both are spelled out.
 * - Capture groups: named groups become plain numbered JS groups (the names
 *   are returned in order) and unnamed ones become non-capturing. Grok only
 *   reads named groups, RE2 has no backreferences, and numbered groups spare
 *   `exec` from building a `groups` object per match.
 * - Alternation is leftmost-first in both engines, so `|` maps directly.
 *   Known difference: a capture inside a repeated group that a later
 *   iteration skips keeps its last value in RE2 but is reset in JS
 *   (`(?:(a)|b)+` on "ab": RE2 "a", JS undefined).
 * - What RE2 rejects (lookaround, backreferences, `\C`, possessive or
 *   stacked quantifiers, counts above 1000) is rejected here with Go's
 *   wording and the offending text.
 * - Alongside, for the V8 linear-time fallback engine (which cannot run `u`
 *   regexes), a flag-less variant valid for input without surrogates is
 *   produced when V8 could run it (see `compile.ts`).
 */
import { caseOrbit } from './case-fold.js';
import { CharSet, hexEscape, MAX_CP } from './char-set.js';
import { GrokError } from './errors.js';
import {
  bmpPropertyRanges,
  foldedPropertyExtras,
  PERL_CLASSES,
  POSIX_CLASSES,
  unicodeClass,
} from './re2-classes.js';

export interface Re2Translation {
  /** Source for `new RegExp(source, 'u')`. */
  source: string;
  /** Capture names; JS group k+1 holds `names[k]`. Duplicates are kept. */
  names: string[];
  /**
   * Source for `new RegExp(bmpSource)` (no flags) that matches exactly like
   * `source` on input without surrogates, or null when V8's fallback engine
   * could not run it anyway (lookarounds, large counted repeats).
   */
  bmpSource: string | null;
}

/** V8's experimental engine refuses counted repetition replicated more than this. */
const MAX_LINEAR_REPLICATION = 16;
const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

const F_FOLD = 1;
const F_MULTILINE = 2;
const F_DOTNL = 4;
const F_UNGREEDY = 8;

const K_ATOM = 0;
const K_ASSERT = 1;
const K_REPEATED = 2;

class ParseError extends Error {
  constructor(
    readonly code: 'regex_syntax' | 'regex_unsupported',
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Piece {
  src: string;
  /** Replication factor for V8's fallback engine (Infinity: not runnable). */
  rep: number;
  /** Whether it can match the empty string. */
  nullable: boolean;
  /** RE2's size of nested counted repeats (product of their counts). */
  weight: number;
}

/** The items of one sequence being built, as parallel arrays. */
interface Seq {
  items: string[];
  kinds: number[];
  reps: number[];
  nullable: boolean[];
  weights: number[];
}

export function translateRe2(re2: string): Re2Translation | GrokError {
  try {
    const t = new Translator(re2, true);
    const top = t.parse();
    let bmpSource: string | null = null;
    if (!t.usesLookaround && top.rep <= MAX_LINEAR_REPLICATION) {
      bmpSource = new Translator(re2, false).parse().src;
    }
    return { source: top.src, names: t.names, bmpSource };
  } catch (e) {
    if (e instanceof ParseError) {
      return new GrokError(e.code, `error parsing regexp: ${e.message}`, { pattern: re2, offset: e.offset });
    }
    throw e;
  }
}

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Characters that must be escaped outside a class in a JS regex. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split('').map((c) => c.charCodeAt(0)));

class Translator {
  readonly names: string[] = [];
  usesLookaround = false;
  private pos = 0;
  private flags = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
  ) {}

  parse(): Piece {
    const top = this.parseAlternation();
    if (this.pos < this.src.length) {
      // Only an unmatched ')' stops the top level early.
      throw this.syntax('unexpected )', this.src, this.pos);
    }
    return top;
  }

  private syntax(what: string, expr: string, offset: number): ParseError {
    return new ParseError('regex_syntax', `${what}: \`${expr}\``, offset);
  }

  private unsupported(what: string, offset: number): ParseError {
    return new ParseError('regex_unsupported', what, offset);
  }

  private parseAlternation(): Piece {
    const alts: string[] = [];
    let rep = 1;
    let nullable = false;
    let weight = 1;
    for (;;) {
      const seq = this.parseSequence();
      alts.push(seq.src);
      if (seq.rep > rep) rep = seq.rep;
      if (seq.weight > weight) weight = seq.weight;
      nullable ||= seq.nullable;
      if (this.src.charCodeAt(this.pos) !== 0x7c /* | */) break;
      this.pos++;
    }
    return { src: alts.length === 1 ? alts[0]! : alts.join('|'), rep, nullable, weight };
  }

  private parseSequence(): Piece {
    const seq: Seq = { items: [], kinds: [], reps: [], nullable: [], weights: [] };
    let lastRepeatStart = -1;
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x7c /* | */ || c === 0x29 /* ) */) break;
      const start = this.pos;
      let repeated = false;
      switch (c) {
        case 0x28 /* ( */:
          {
            const g = this.parseGroup();
            if (g !== null) push(seq, g.src, K_ATOM, g.rep, g.nullable, g.weight);
            break;
          }
        case 0x2a /* * */:
        case 0x2b /* + */:
        case 0x3f /* ? */:
          {
            this.pos++;
            const min = c === 0x2b ? 1 : 0;
            const max = c === 0x3f ? 1 : -1;
            this.applyRepeat(seq, min, max, false, start, lastRepeatStart);
            repeated = true;
            break;
          }
        case 0x7b /* { */:
          {
            const r = this.tryRepeatCount();
            if (r === null) {
              this.pos++;
              this.pushLiteral(seq, c);
            } else {
              this.applyRepeat(seq, r[0], r[1], true, start, lastRepeatStart);
              repeated = true;
            }
            break;
          }
        case 0x5e /* ^ */:
          this.pos++;
          push(seq, this.flags & F_MULTILINE ? this.lookaround('(?<![^\\n])') : '^', K_ASSERT, 1, true);
          break;
        case 0x24 /* $ */:
          this.pos++;
          push(seq, this.flags & F_MULTILINE ? this.lookaround('(?![^\\n])') : '$', K_ASSERT, 1, true);
          break;
        case 0x2e /* . */:
          this.pos++;
          push(seq, this.flags & F_DOTNL ? '[^]' : '[^\\n]', K_ATOM, 1, false);
          break;
        case 0x5b /* [ */:
          push(seq, this.parseClass(), K_ATOM, 1, false);
          break;
        case 0x5c /* \ */:
          this.parseTopEscape(seq);
          break;
        default: {
          const cp = src.codePointAt(this.pos)!;
          this.pos += cp > 0xffff ? 2 : 1;
          this.pushLiteral(seq, cp);
        }
      }
      lastRepeatStart = repeated ? start : -1;
    }
    let rep = 1;
    let weight = 1;
    let nullable = true;
    for (let i = 0; i < seq.reps.length; i++) {
      if (seq.reps[i]! > rep) rep = seq.reps[i]!;
      if (seq.weights[i]! > weight) weight = seq.weights[i]!;
      if (!seq.nullable[i]) nullable = false;
    }
    return { src: seq.items.join(''), rep, nullable, weight };
  }

  private lookaround(s: string): string {
    this.usesLookaround = true;
    return s;
  }

  /** `{n}`, `{n,}` or `{n,m}` at pos, or null when `{` is a literal (as in RE2). */
  private tryRepeatCount(): [number, number] | null {
    const src = this.src;
    let i = this.pos + 1;
    const readInt = (): number => {
      const s = i;
      while (i < src.length && src.charCodeAt(i) >= 0x30 && src.charCodeAt(i) <= 0x39) i++;
      if (i === s) return -2;
      // RE2 refuses leading zeros, which makes `{01}` a literal.
      if (i - s > 1 && src.charCodeAt(s) === 0x30) return -2;
      return i - s > 8 ? 1e8 : Number(src.slice(s, i));
    };
    const min = readInt();
    if (min === -2) return null;
    let max = min;
    if (src.charCodeAt(i) === 0x2c /* , */) {
      i++;
      if (src.charCodeAt(i) === 0x7d /* } */) max = -1;
      else {
        max = readInt();
        if (max === -2) return null;
      }
    }
    if (src.charCodeAt(i) !== 0x7d) return null;
    i++;
    const text = src.slice(this.pos, i);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      throw this.syntax('invalid repeat count', text, this.pos);
    }
    this.pos = i;
    return [min, max];
  }

  /** `counted` is true for `{n,m}` forms, which RE2 limits in size. */
  private applyRepeat(
    seq: Seq,
    min: number,
    max: number,
    counted: boolean,
    start: number,
    lastRepeatStart: number,
  ): void {
    let lazy = (this.flags & F_UNGREEDY) !== 0;
    if (this.src.charCodeAt(this.pos) === 0x3f /* ? */) {
      this.pos++;
      lazy = !lazy;
    }
    const op = this.src.slice(start, this.pos);
    if (lastRepeatStart >= 0) {
      throw this.syntax(
        'invalid nested repetition operator',
        this.src.slice(lastRepeatStart, this.pos),
        start,
      );
    }
    const n = seq.items.length - 1;
    if (n < 0) throw this.syntax('missing argument to repetition operator', op, start);
    if (counted) {
      // RE2 bounds the copies nested counted repeats make: at most 1000 of
      // the innermost thing; a count of zero makes its body irrelevant.
      const m = max < 0 ? min : max;
      seq.weights[n] = max === 0 ? 1 : Math.max(m, 1) * seq.weights[n]!;
      if ((min >= 2 || max >= 2) && seq.weights[n]! > MAX_REPEAT) {
        throw this.syntax('invalid repeat count', op, start);
      }
    }
    let atom = seq.items[n]!;
    const nullable = seq.nullable[n]!;
    if (min === 0 && max === 1 && nullable) {
      // RE2 keeps an empty match of the optional part; JS would reject that
      // iteration and retry the part for a non-empty match. An alternation
      // has no such check, so it orders the choices exactly as RE2 does.
      seq.items[n] = lazy ? `(?:|${atom})` : `(?:${atom}|)`;
      seq.kinds[n] = K_ATOM;
      return;
    }
    if (seq.kinds[n] !== K_ATOM) atom = `(?:${atom})`;
    let q: string;
    if (min === 0 && max === -1) q = '*';
    else if (min === 1 && max === -1) q = '+';
    else if (min === 0 && max === 1) q = '?';
    else if (max === -1) q = `{${min},}`;
    else if (min === max) q = `{${min}}`;
    else q = `{${min},${max}}`;
    seq.items[n] = atom + q + (lazy ? '?' : '');
    seq.kinds[n] = K_REPEATED;
    seq.nullable[n] = min === 0 || nullable;
    let local = max === -1 ? min + 1 : max;
    if (min > MAX_LINEAR_REPLICATION || max > MAX_LINEAR_REPLICATION) local = Number.POSITIVE_INFINITY;
    seq.reps[n] = seq.reps[n]! * Math.max(local, 1);
  }

  /** A group at pos; null for a flags-only group such as `(?i)`. */
  private parseGroup(): Piece | null {
    const src = this.src;
    const open = this.pos;
    if (++this.depth > MAX_DEPTH) throw this.syntax('expression nests too deeply', src, open);
    let name: string | null = null;
    let capture = false;
    const saved = this.flags;
    if (src.charCodeAt(open + 1) !== 0x3f /* ? */) {
      this.pos = open + 1;
    } else {
      const rest = src.slice(open, open + 4);
      if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
        throw this.unsupported(`lookahead \`${rest.slice(0, 3)}\` is not supported by RE2`, open);
      }
      if (rest === '(?<=' || rest === '(?<!') {
        throw this.unsupported(`lookbehind \`${rest}\` is not supported by RE2`, open);
      }
      if (rest === '(?P=' || rest === '(?P>') {
        throw this.unsupported(`backreference \`${rest}\` is not supported by RE2`, open);
      }
      if (rest.startsWith('(?P<') || rest.startsWith('(?<')) {
        const nameStart = open + (rest.startsWith('(?P<') ? 4 : 3);
        const end = src.indexOf('>', nameStart);
        if (end < 0) throw this.syntax('invalid named capture', src.slice(open), open);
        name = src.slice(nameStart, end);
        if (!/^[A-Za-z0-9_]+$/.test(name)) {
          throw this.syntax('invalid named capture', src.slice(open, end + 1), open);
        }
        capture = true;
        this.pos = end + 1;
      } else {
        const flagsOnly = this.parseFlags(open);
        if (flagsOnly) {
          this.depth--;
          return null;
        }
      }
    }
    if (capture) this.names.push(name!);
    const inner = this.parseAlternation();
    if (src.charCodeAt(this.pos) !== 0x29 /* ) */) {
      throw this.syntax('missing closing )', src, open);
    }
    this.pos++;
    this.flags = saved;
    this.depth--;
    const body = capture ? `(${inner.src})` : `(?:${inner.src})`;
    return { src: body, rep: inner.rep, nullable: inner.nullable, weight: inner.weight };
  }

  /**
   * Flags after `(?` at pos: `(?i)` changes the flags until the enclosing
   * group ends (returns true); `(?i:` opens a group with them (false).
   */
  private parseFlags(open: number): boolean {
    const src = this.src;
    let i = open + 2;
    let flags = this.flags;
    let negated = false;
    let sawFlag = false;
    for (; i < src.length; i++) {
      const c = src[i];
      let bit = 0;
      if (c === 'i') bit = F_FOLD;
      else if (c === 'm') bit = F_MULTILINE;
      else if (c === 's') bit = F_DOTNL;
      else if (c === 'U') bit = F_UNGREEDY;
      else if (c === '-' && !negated) {
        negated = true;
        sawFlag = false;
        continue;
      } else if ((c === ':' || c === ')') && !(negated && !sawFlag)) {
        this.flags = flags;
        this.pos = i + 1;
        return c === ')';
      } else break;
      flags = negated ? flags & ~bit : flags | bit;
      sawFlag = true;
    }
    const text = src.slice(open, Math.min(i + 1, src.length));
    if (src[open + 2] === '>' || src[open + 2] === '#' || src[open + 2] === '(') {
      throw this.unsupported(`invalid or unsupported Perl syntax: \`${text}\``, open);
    }
    throw this.syntax('invalid or unsupported Perl syntax', text, open);
  }

  private parseTopEscape(seq: Seq): void {
    const src = this.src;
    const at = this.pos;
    const c = src[at + 1];
    switch (c) {
      case 'A':
      case 'z':
      case 'b':
      case 'B':
        this.pos += 2;
        push(seq, c === 'A' ? '^' : c === 'z' ? '$' : `\\${c}`, K_ASSERT, 1, true);
        return;
      case 'C':
        throw this.unsupported('invalid escape sequence: `\\C` (RE2 in Go does not match single bytes)', at);
      case 'Q': {
        let end = src.indexOf('\\E', at + 2);
        if (end < 0) end = src.length;
        let i = at + 2;
        while (i < end) {
          const cp = src.codePointAt(i)!;
          i += cp > 0xffff ? 2 : 1;
          this.pushLiteral(seq, cp);
        }
        this.pos = Math.min(end + 2, src.length);
        return;
      }
      case 'd':
      case 'w':
      case 'W':
        // Folding leaves digits alone but adds U+017F and U+212A to \w.
        if ((this.flags & F_FOLD) === 0 || c === 'd') {
          this.pos += 2;
          push(seq, `\\${c}`, K_ATOM, 1, false);
          return;
        }
        break;
      case 'D':
        this.pos += 2;
        push(seq, '\\D', K_ATOM, 1, false);
        return;
      case 'S':
        if ((this.flags & F_FOLD) === 0) {
          this.pos += 2;
          push(seq, '[^\\t\\n\\f\\r ]', K_ATOM, 1, false);
          return;
        }
        break;
    }
    const set = new CharSet();
    if (this.parseClassEscape(set)) {
      push(seq, this.emitSet(set, false), K_ATOM, 1, false);
      return;
    }
    this.pos++;
    this.pushLiteral(seq, this.parseEscapeChar(at));
  }

  /** `\p..`, `\P..`, `\d \D \s \S \w \W` at pos, added to `set`; false when pos holds none. */
  private parseClassEscape(set: CharSet): boolean {
    const src = this.src;
    if (src.charCodeAt(this.pos) !== 0x5c) return false;
    const c = src[this.pos + 1];
    if (c === 'p' || c === 'P') {
      this.parseUnicodeClass(set);
      return true;
    }
    if (c === undefined) return false;
    const perl = PERL_CLASSES[c.toLowerCase()];
    if (perl === undefined || !/[dswDSW]/.test(c)) return false;
    this.pos += 2;
    set.addClass(perl, c !== c.toLowerCase(), (this.flags & F_FOLD) !== 0);
    return true;
  }

  private parseUnicodeClass(set: CharSet): void {
    const src = this.src;
    const at = this.pos;
    let negate = src[at + 1] === 'P';
    let name: string;
    let end: number;
    if (src[at + 2] === '{') {
      const close = src.indexOf('}', at + 3);
      if (close < 0) throw this.syntax('invalid character class range', src.slice(at), at);
      name = src.slice(at + 3, close);
      end = close + 1;
    } else {
      const cp = src.codePointAt(at + 2);
      if (cp === undefined) throw this.syntax('invalid character class range', src.slice(at), at);
      name = String.fromCodePoint(cp);
      end = at + 2 + name.length;
    }
    const text = src.slice(at, end);
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    const cls = unicodeClass(name);
    if (cls === undefined) throw this.syntax('invalid character class range', text, at);
    this.pos = end;
    if (cls.kind === 'any') {
      set.addClass([0, MAX_CP], negate, false);
      return;
    }
    const extras = this.flags & F_FOLD ? foldedPropertyExtras(cls.props) : [];
    set.addProps(cls.props, negate, extras);
  }

  /** The code point of an escape whose backslash is at `at`; pos is just past the backslash. */
  private parseEscapeChar(at: number): number {
    const src = this.src;
    if (this.pos >= src.length) throw this.syntax('trailing backslash at end of expression', '', at);
    const c = src.charCodeAt(this.pos);
    if (c >= 0x31 && c <= 0x37 && !isOctal(src.charCodeAt(this.pos + 1))) {
      throw this.unsupported(
        `invalid escape sequence: \`${src.slice(at, this.pos + 1)}\` (RE2 has no backreferences)`,
        at,
      );
    }
    if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      this.pos++;
      for (let k = 1; k < 3 && isOctal(src.charCodeAt(this.pos)); k++)
        v = v * 8 + src.charCodeAt(this.pos++) - 0x30;
      return v;
    }
    if (c === 0x78 /* x */) return this.parseHex(at);
    const simple = 'a\x07f\x0cn\nr\rt\tv\x0b';
    const k = simple.indexOf(String.fromCharCode(c));
    if (k >= 0 && k % 2 === 0) {
      this.pos++;
      return simple.charCodeAt(k + 1);
    }
    if (c < 0x80 && !isAlnum(c)) {
      this.pos++;
      return c;
    }
    const cp = src.codePointAt(this.pos)!;
    throw this.syntax('invalid escape sequence', src.slice(at, this.pos + (cp > 0xffff ? 2 : 1)), at);
  }

  private parseHex(at: number): number {
    const src = this.src;
    let i = this.pos + 1;
    if (src[i] === '{') {
      const s = ++i;
      while (i < src.length && isHex(src.charCodeAt(i))) i++;
      const v = i > s ? Number.parseInt(src.slice(s, i), 16) : -1;
      if (src[i] !== '}' || v < 0 || v > MAX_CP) {
        throw this.syntax('invalid escape sequence', src.slice(at, Math.min(i + 1, src.length)), at);
      }
      this.pos = i + 1;
      return v;
    }
    if (!isHex(src.charCodeAt(i)) || !isHex(src.charCodeAt(i + 1))) {
      throw this.syntax('invalid escape sequence', src.slice(at, Math.min(i + 2, src.length)), at);
    }
    this.pos = i + 2;
    return Number.parseInt(src.slice(i, i + 2), 16);
  }

  private parseClass(): string {
    const src = this.src;
    const open = this.pos;
    const fold = (this.flags & F_FOLD) !== 0;
    this.pos++;
    let negate = false;
    if (src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const set = new CharSet();
    let first = true;
    while (this.pos >= src.length || src[this.pos] !== ']' || first) {
      if (this.pos >= src.length) throw this.syntax('missing closing ]', src.slice(open), open);
      first = false;
      if (src.startsWith('[:', this.pos) && this.parsePosixClass(set, fold)) continue;
      if (this.parseClassEscape(set)) continue;
      const rangeStart = this.pos;
      const lo = this.classChar(open);
      let hi = lo;
      if (src[this.pos] === '-' && this.pos + 1 < src.length && src[this.pos + 1] !== ']') {
        this.pos++;
        hi = this.classChar(open);
        if (hi < lo) {
          throw this.syntax('invalid character class range', src.slice(rangeStart, this.pos), rangeStart);
        }
      }
      set.addRange(lo, hi, fold);
    }
    this.pos++;
    return this.emitSet(set, negate);
  }

  /** `[:name:]` at pos (inside a class); false when it is not one (then `[` is literal). */
  private parsePosixClass(set: CharSet, fold: boolean): boolean {
    const src = this.src;
    const close = src.indexOf(':]', this.pos + 2);
    if (close < 0) return false;
    let name = src.slice(this.pos + 2, close);
    const text = src.slice(this.pos, close + 2);
    let negate = false;
    if (name.startsWith('^')) {
      negate = true;
      name = name.slice(1);
    }
    const cls = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
    if (cls === undefined) throw this.syntax('invalid character class range', text, this.pos);
    set.addClass(cls, negate, fold);
    this.pos = close + 2;
    return true;
  }

  private classChar(open: number): number {
    const src = this.src;
    if (this.pos >= src.length) throw this.syntax('missing closing ]', src.slice(open), open);
    if (src.charCodeAt(this.pos) === 0x5c) {
      const at = this.pos++;
      return this.parseEscapeChar(at);
    }
    const cp = src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private emitSet(set: CharSet, negate: boolean): string {
    if (!negate) {
      const single = set.singleCodePoint();
      if (single >= 0) return this.literal(single);
    }
    return this.unicode ? set.toUnicodeSource(negate) : set.toBmpSource(negate, bmpPropertyRanges);
  }

  private pushLiteral(seq: Seq, cp: number): void {
    const orbit = this.flags & F_FOLD ? caseOrbit(cp) : undefined;
    if (orbit === undefined) push(seq, this.literal(cp), K_ATOM, 1, false);
    else {
      const set = new CharSet();
      for (const m of orbit) set.addRange(m, m, false);
      const cls = this.unicode ? set.toUnicodeSource(false) : set.toBmpSource(false, bmpPropertyRanges);
      push(seq, cls, K_ATOM, 1, false);
    }
  }

  /** One code point as a quantifiable JS atom. */
  private literal(cp: number): string {
    if (cp < 0x80) {
      if (isAlnum(cp) || (cp >= 0x20 && cp < 0x7f && !SYNTAX.has(cp))) return String.fromCharCode(cp);
      if (SYNTAX.has(cp)) return `\\${String.fromCharCode(cp)}`;
      return hexEscape(cp, this.unicode);
    }
    if (cp > 0xffff && !this.unicode) return `(?:${hexEscape(cp, false)})`;
    return hexEscape(cp, this.unicode);
  }
}

function push(seq: Seq, src: string, kind: number, rep: number, nullable: boolean, weight = 1): void {
  seq.items.push(src);
  seq.kinds.push(kind);
  seq.reps.push(rep);
  seq.nullable.push(nullable);
  seq.weights.push(weight);
}
