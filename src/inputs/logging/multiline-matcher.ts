/**
 * Decides whether a (trimmed) log line starts a new multiline entry, the
 * way DataKit's matcher does:
 *
 * - manual (`multiline_match`): that one pattern;
 * - automatic: the built-in group picked by the line's first character
 *   (digit, ASCII letter, anything else), then the user's extra patterns;
 *   a line starting with a space or tab meets only the extra patterns;
 * - until some pattern has matched once, a line that matches none still
 *   starts an entry when its first character is not whitespace (`^\S`),
 *   so a file whose format no pattern knows is not glued into one entry.
 *
 * Each pattern counts its hits and a hit below the head of its list
 * re-sorts that list by count, so the patterns a file actually uses are
 * tried first. The order only changes speed, never the answer.
 *
 * Patterns are Go RE2 translated once with `compileGoRegexp`; Go's `Match`
 * searches anywhere in the line, so they run unanchored unless they say `^`.
 */

import { compileGoRegexp, GoRegexpError } from '../../pipeline/funcs/lib/go-regexp.js';
import { DIGIT_PATTERNS, LETTER_PATTERNS, SYMBOL_PATTERNS } from './multiline-patterns.js';

interface Scored {
  re: RegExp;
  score: number;
}

/** A pattern that does not compile, or `re` ready for `test` (no `g`: no lastIndex state). */
export function compileLinePattern(pattern: string): RegExp | GoRegexpError {
  const re = compileGoRegexp(pattern);
  if (re instanceof GoRegexpError) return re;
  // compileGoRegexp hands out a shared, global RegExp; `test` on it would move lastIndex.
  return new RegExp(re.source, re.flags.replace('g', ''));
}

let builtins: { digit: RegExp[]; letter: RegExp[]; symbol: RegExp[] } | null = null;

function compileBuiltins(list: readonly string[]): RegExp[] {
  const out: RegExp[] = [];
  for (let i = 0; i < list.length; i++) {
    const re = compileLinePattern(list[i]!);
    // The tables are ours and tested; a failure here is a defect in them.
    if (re instanceof GoRegexpError) throw new Error(`built-in multiline pattern ${list[i]}: ${re.message}`);
    out.push(re);
  }
  return out;
}

function scored(list: readonly RegExp[]): Scored[] {
  const out: Scored[] = [];
  for (let i = 0; i < list.length; i++) out.push({ re: list[i]!, score: 0 });
  return out;
}

function byScore(a: Scored, b: Scored): number {
  return b.score - a.score;
}

export class LineMatcher {
  readonly #manual: Scored[] | null;
  readonly #digit: Scored[];
  readonly #letter: Scored[];
  readonly #symbol: Scored[];
  readonly #extra: Scored[];
  #maxScore = 0;

  /** `manual` = the multiline_match pattern (automatic mode when null); `extra` = extra patterns, compiled. */
  constructor(manual: RegExp | null, extra: readonly RegExp[]) {
    if (manual !== null) {
      this.#manual = scored([manual]);
      this.#digit = this.#letter = this.#symbol = this.#extra = [];
      return;
    }
    if (builtins === null) {
      builtins = {
        digit: compileBuiltins(DIGIT_PATTERNS),
        letter: compileBuiltins(LETTER_PATTERNS),
        symbol: compileBuiltins(SYMBOL_PATTERNS),
      };
    }
    this.#manual = null;
    this.#digit = scored(builtins.digit);
    this.#letter = scored(builtins.letter);
    this.#symbol = scored(builtins.symbol);
    this.#extra = scored(extra);
  }

  /** Whether `text` starts a new entry. */
  startsEntry(text: string): boolean {
    if (text.length === 0) return false;
    if (this.#matchPatterns(text)) return true;
    if (this.#maxScore > 0) return false;
    const c = text.charCodeAt(0);
    // DataKit looks at the first byte: only ASCII whitespace can be one.
    return !((c >= 9 && c <= 13) || c === 32);
  }

  #matchPatterns(text: string): boolean {
    if (this.#manual !== null) return this.#hit(this.#manual, text);
    const c = text.charCodeAt(0);
    if (c === 32 || c === 9) return this.#hit(this.#extra, text);
    let group: Scored[];
    if (c >= 48 && c <= 57) group = this.#digit;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) group = this.#letter;
    else group = this.#symbol;
    return this.#hit(group, text) || this.#hit(this.#extra, text);
  }

  #hit(group: Scored[], text: string): boolean {
    for (let i = 0; i < group.length; i++) {
      const p = group[i]!;
      if (!p.re.test(text)) continue;
      if (++p.score > this.#maxScore) this.#maxScore = p.score;
      if (i !== 0) group.sort(byScore);
      return true;
    }
    return false;
  }
}
