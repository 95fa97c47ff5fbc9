/**
 * A grok pattern compiled to one JavaScript RegExp, plus the table that
 * turns a match into DataKit's captures.
 *
 * Captures follow DataKit exactly:
 * - only named groups are captured (`%{NAME:key}` or a raw `(?P<key>…)`);
 * - a group that did not take part yields `""` (then the type's zero value
 *   for typed keys), never "absent";
 * - a key captured by several groups is set once, in the position of its
 *   first group, from the last such group, even when that one did not take
 *   part (DataKit's table points every duplicate at the last group);
 * - keys are applied in group order; `trim_space` uses Go's TrimSpace.
 *
 * Regexes are compiled once per expanded RE2 text and shared (a RegExp
 * without the `g`/`y` flags keeps no state between `exec` calls).
 */
import { denormalize, type PatternLookup } from './denormalize.js';
import { GrokError } from './errors.js';
import { goTrimSpace } from './go-trim.js';
import type { GrokType } from './pattern-ref.js';
import { translateRe2 } from './re2-to-js.js';
import { regexpFallback } from './regexp-fallback.js';
import { castGrokValue, type GrokValue } from './typed-value.js';

export interface GrokCapture {
  key: string;
  type: GrokType | null;
  value: GrokValue;
}

interface CompiledRegex {
  regex: RegExp;
  /** Flag-less twin for input without surrogates (see `re2-to-js.ts`), or null. */
  bmp: RegExp | null;
  names: readonly string[];
}

const REGEX_CACHE_MAX = 4096;
const regexCache = new Map<string, CompiledRegex | GrokError>();

const SURROGATE = /[\ud800-\udfff]/;

function compileRegex(re2: string): CompiledRegex | GrokError {
  const hit = regexCache.get(re2);
  if (hit !== undefined) return hit;
  const result = buildRegex(re2);
  if (regexCache.size >= REGEX_CACHE_MAX) regexCache.clear();
  regexCache.set(re2, result);
  return result;
}

function buildRegex(re2: string): CompiledRegex | GrokError {
  const t = translateRe2(re2);
  if (t instanceof GrokError) return t;
  let regex: RegExp;
  try {
    regex = new RegExp(t.source, 'u');
  } catch (e) {
    return new GrokError(
      'regex_engine',
      `regexp rejected by the JavaScript engine: ${(e as Error).message}`,
      {
        pattern: re2,
      },
    );
  }
  let bmp: RegExp | null = null;
  if (t.bmpSource !== null) {
    try {
      bmp = new RegExp(t.bmpSource);
    } catch {
      bmp = null;
    }
  }
  return { regex, bmp, names: t.names };
}

/** Expand `pattern` against a library and compile it. */
export function compileGrok(pattern: string, lookup: PatternLookup): CompiledGrok | GrokError {
  const exp = denormalize(pattern, lookup);
  if (exp instanceof GrokError) return exp;
  const rx = compileRegex(exp.re2);
  if (rx instanceof GrokError) {
    return new GrokError(rx.code, rx.message, { pattern, offset: rx.offset }, rx);
  }
  return new CompiledGrok(pattern, exp.re2, rx, exp.types);
}

export class CompiledGrok {
  /** The grok pattern as written. */
  readonly pattern: string;
  /** The expanded RE2 text DataKit would compile. */
  readonly re2: string;
  /** The translated regex (`u` flag); its group k+1 holds `groupKeys[k]`. */
  readonly regex: RegExp;
  readonly groupKeys: readonly string[];
  /** Capture keys in the order DataKit applies them (no duplicates). */
  readonly keys: readonly string[];
  /** Declared type of each key (null: plain string). */
  readonly types: readonly (GrokType | null)[];
  /** JS group number that provides each key. */
  readonly groups: readonly number[];
  readonly #bmp: RegExp | null;

  constructor(pattern: string, re2: string, rx: CompiledRegex, types: ReadonlyMap<string, GrokType>) {
    this.pattern = pattern;
    this.re2 = re2;
    this.regex = rx.regex;
    this.#bmp = rx.bmp;
    this.groupKeys = rx.names;
    const keys: string[] = [];
    const groups: number[] = [];
    const index = new Map<string, number>();
    for (let g = 0; g < rx.names.length; g++) {
      const key = rx.names[g]!;
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, keys.length);
        keys.push(key);
        groups.push(g + 1);
      } else groups[at] = g + 1;
    }
    this.keys = keys;
    this.groups = groups;
    this.types = keys.map((k) => types.get(k) ?? null);
  }

  /** The raw regex match (null when the pattern does not match). */
  exec(input: string): RegExpExecArray | null {
    const bmp = this.#bmp;
    // The twin is only worth its surrogate scan when V8 may fall back to
    // its linear engine, which cannot run `u` regexes.
    if (bmp !== null && regexpFallback.enabled && !SURROGATE.test(input)) return bmp.exec(input);
    return this.regex.exec(input);
  }

  /** Whether V8's linear fallback can protect this pattern (on input without surrogates). */
  get linearFallback(): boolean {
    return this.#bmp !== null;
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }

  /** Captured text per key (aligned with `keys`), or null on no match. */
  values(input: string, trimSpace = true): string[] | null {
    const m = this.exec(input);
    if (m === null) return null;
    const groups = this.groups;
    const out = new Array<string>(groups.length);
    for (let i = 0; i < groups.length; i++) {
      const v = m[groups[i]!] ?? '';
      out[i] = trimSpace ? goTrimSpace(v) : v;
    }
    return out;
  }

  /** Typed value per key (aligned with `keys`), or null on no match. */
  run(input: string, trimSpace = true): GrokValue[] | null {
    const raw = this.values(input, trimSpace);
    if (raw === null) return null;
    const types = this.types;
    const out = new Array<GrokValue>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const t = types[i]!;
      out[i] = t === null ? raw[i]! : castGrokValue(t, raw[i]!);
    }
    return out;
  }

  /** Captures as objects, in application order, or null on no match. */
  match(input: string, trimSpace = true): GrokCapture[] | null {
    const vals = this.run(input, trimSpace);
    if (vals === null) return null;
    const out: GrokCapture[] = [];
    for (let i = 0; i < vals.length; i++)
      out.push({ key: this.keys[i]!, type: this.types[i]!, value: vals[i]! });
    return out;
  }
}
