/**
 * One RE2 character class on its way to JavaScript.
 *
 * RE2 builds a class as a union of items (ranges, `\d`, `[:alpha:]`,
 * `\p{Greek}`), folds each item under `(?i)`, and may negate the whole. JS
 * (`u` flag) can write unions of ranges and `\p{..}`/`\P{..}` directly, but
 * RE2's ASCII-only `\s`, its `\p{C}` (which excludes unassigned code points)
 * and folded negated items have no JS spelling, so items are kept as explicit
 * code point ranges wherever they are finite and as property escapes only
 * where they are not. The rare item that is neither (a negated Unicode class
 * under `(?i)`) is emitted with a lookahead.
 *
 * The same set can also be emitted for a regex without the `u` flag that is
 * only ever run on input without surrogates (see `compile.ts`): there every
 * item becomes BMP ranges.
 */
import { foldExtras } from './case-fold.js';

export const MAX_CP = 0x10ffff;

/** A negated union of Unicode properties, minus some extra code points. */
interface NegatedProps {
  props: readonly string[];
  minus: number[];
}

export class CharSet {
  /** Flat lo,hi pairs, not yet sorted or merged. */
  readonly ranges: number[] = [];
  /** Positive property escape bodies (`L`, `Script=Greek`). */
  readonly props: string[] = [];
  readonly negated: NegatedProps[] = [];

  addRange(lo: number, hi: number, fold: boolean): void {
    this.ranges.push(lo, hi);
    if (fold) foldExtras([lo, hi], this.ranges);
  }

  /** Add a finite class (flat pairs), optionally folded and/or negated. */
  addClass(pairs: readonly number[], negate: boolean, fold: boolean): void {
    let set: number[] = pairs.slice();
    if (fold) {
      foldExtras(pairs, set);
      set = normalizeRanges(set);
    }
    if (negate) set = complementRanges(normalizeRanges(set));
    for (let i = 0; i < set.length; i++) this.ranges.push(set[i]!);
  }

  /**
   * Add a union of Unicode properties. `extras` are the code points folding
   * adds (already computed by the caller, empty without `(?i)`).
   */
  addProps(props: readonly string[], negate: boolean, extras: readonly number[]): void {
    if (!negate) {
      for (const p of props) this.props.push(p);
      for (let i = 0; i < extras.length; i++) this.ranges.push(extras[i]!);
      return;
    }
    this.negated.push({ props, minus: extras.slice() });
  }

  /** The single code point this set matches, or -1. */
  singleCodePoint(): number {
    if (this.props.length > 0 || this.negated.length > 0) return -1;
    const r = normalizeRanges(this.ranges);
    return r.length === 2 && r[0] === r[1] ? r[0]! : -1;
  }

  /** JS source for a regex with the `u` flag. */
  toUnicodeSource(negate: boolean): string {
    const simple: string[] = [];
    appendRanges(normalizeRanges(this.ranges), simple, true);
    for (const p of this.props) simple.push(`\\p{${p}}`);
    const hard: string[] = [];
    for (const n of this.negated) {
      if (n.minus.length === 0 && n.props.length === 1) simple.push(`\\P{${n.props[0]}}`);
      else hard.push(negatedSource(n));
    }
    if (hard.length === 0) return `[${negate ? '^' : ''}${simple.join('')}]`;
    if (simple.length > 0) hard.unshift(`[${simple.join('')}]`);
    return negate ? `(?!${hard.join('|')})[^]` : `(?:${hard.join('|')})`;
  }

  /**
   * JS source for a regex without the `u` flag, valid for input that holds
   * no surrogates: astral members can never match there and are dropped.
   * `bmpRanges` resolves a property body to its BMP ranges.
   */
  toBmpSource(negate: boolean, bmpRanges: (prop: string) => readonly number[]): string {
    const set: number[] = this.ranges.slice();
    for (const p of this.props) pushAll(set, bmpRanges(p));
    for (const n of this.negated) {
      const union: number[] = [];
      for (const p of n.props) pushAll(union, bmpRanges(p));
      let comp = complementRanges(normalizeRanges(union));
      if (n.minus.length > 0) comp = subtractRanges(comp, normalizeRanges(n.minus));
      pushAll(set, comp);
    }
    const parts: string[] = [];
    appendRanges(clipToBmp(normalizeRanges(set)), parts, false);
    return `[${negate ? '^' : ''}${parts.join('')}]`;
  }
}

function negatedSource(n: NegatedProps): string {
  const body = n.props.map((p) => `\\p{${p}}`).join('');
  const minus: string[] = [];
  appendRanges(normalizeRanges(n.minus), minus, true);
  const guard = minus.length > 0 ? `(?![${minus.join('')}])` : '';
  return `${guard}[^${body}]`;
}

function pushAll(dst: number[], src: readonly number[]): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!);
}

/** Sort and merge flat lo,hi pairs (adjacent ranges merge too). */
export function normalizeRanges(pairs: readonly number[]): number[] {
  const n = pairs.length >> 1;
  if (n === 0) return [];
  const idx: number[] = [];
  for (let i = 0; i < n; i++) idx.push(i);
  idx.sort((a, b) => pairs[2 * a]! - pairs[2 * b]! || pairs[2 * a + 1]! - pairs[2 * b + 1]!);
  const out: number[] = [pairs[2 * idx[0]!]!, pairs[2 * idx[0]! + 1]!];
  for (let k = 1; k < n; k++) {
    const lo = pairs[2 * idx[k]!]!;
    const hi = pairs[2 * idx[k]! + 1]!;
    const last = out.length - 1;
    if (lo <= out[last]! + 1) {
      if (hi > out[last]!) out[last] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

/** Complement of normalized ranges within [0, MAX_CP]. */
export function complementRanges(norm: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < norm.length; i += 2) {
    if (norm[i]! > next) out.push(next, norm[i]! - 1);
    next = norm[i + 1]! + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

function subtractRanges(a: readonly number[], b: readonly number[]): number[] {
  const inter = complementRanges(normalizeRanges([...complementRanges(a), ...b]));
  return inter;
}

function clipToBmp(norm: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < norm.length; i += 2) {
    const lo = norm[i]!;
    if (lo > 0xffff) break;
    out.push(lo, Math.min(norm[i + 1]!, 0xffff));
  }
  return out;
}

function appendRanges(norm: readonly number[], out: string[], unicode: boolean): void {
  for (let i = 0; i < norm.length; i += 2) {
    const lo = norm[i]!;
    const hi = norm[i + 1]!;
    if (lo === hi) out.push(classChar(lo, unicode));
    else if (hi === lo + 1) out.push(classChar(lo, unicode), classChar(hi, unicode));
    else out.push(`${classChar(lo, unicode)}-${classChar(hi, unicode)}`);
  }
}

const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/**
 * A code point spelled so it is valid inside a class with and without the
 * `u` flag: printable ASCII as itself (backslash before `\ ] [ ^ -`),
 * tab/newline-like controls by name, everything else as a hex escape.
 */
export function classChar(cp: number, unicode: boolean): string {
  if (cp >= 0x20 && cp < 0x7f) {
    const ch = String.fromCharCode(cp);
    return '\\][^-'.includes(ch) ? `\\${ch}` : ch;
  }
  return CONTROL_ESCAPES[cp] ?? hexEscape(cp, unicode);
}

export function hexEscape(cp: number, unicode: boolean): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  if (unicode) return `\\u{${cp.toString(16)}}`;
  const v = cp - 0x10000;
  return `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
}
