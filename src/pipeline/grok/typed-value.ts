/**
 * Typed captures (`%{INT:code:int}`): DataKit converts the captured text
 * with Go's `spf13/cast` and, when that fails, stores the type's zero value
 * (`"12x"` as int is `0`, not an error and not absent). The conversions
 * follow Go's `strconv`:
 * - int: `ParseInt(s, 0, 64)` after dropping a zero-only decimal tail
 *   (`"12.00"` → 12): base prefixes `0x`, `0o`, `0b`, a leading `0` means
 *   octal, `_` may separate digits; out of range fails;
 * - float: `ParseFloat(s, 64)`: decimal or hex (`0x1p-2`), `inf`,
 *   `infinity`, `nan` in any case, `_` between digits; overflow fails;
 * - bool: exactly `1 t T TRUE true True 0 f F FALSE false False`.
 */
import type { GrokType } from './pattern-ref.js';

export type GrokValue = string | bigint | number | boolean;

const INT64_MAX = 2n ** 63n - 1n;

export function castGrokValue(type: GrokType | null, s: string): GrokValue {
  switch (type) {
    case 'int':
      return parseGoInt(trimZeroDecimal(s)) ?? 0n;
    case 'float':
      return parseGoFloat(s) ?? 0;
    case 'bool':
      return parseGoBool(s) ?? false;
    default:
      return s;
  }
}

/** `"12.000"` → `"12"`; anything else unchanged (cast's trimZeroDecimal). */
function trimZeroDecimal(s: string): string {
  let sawZero = false;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */) {
      if (sawZero) return s.slice(0, i);
    } else if (c === 0x30) sawZero = true;
    else return s;
  }
  return s;
}

/** Go's underscore rule: only between digits (a base prefix counts as a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

export function parseGoInt(s: string): bigint | null {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  const body = s.slice(i);
  if (body === '') return null;
  let base = 10;
  let digits = body;
  if (body[0] === '0') {
    const p = body[1];
    if (body.length >= 3 && (p === 'x' || p === 'X')) [base, digits] = [16, body.slice(2)];
    else if (body.length >= 3 && (p === 'o' || p === 'O')) [base, digits] = [8, body.slice(2)];
    else if (body.length >= 3 && (p === 'b' || p === 'B')) [base, digits] = [2, body.slice(2)];
    else [base, digits] = [8, body.slice(1)];
  }
  let v = 0n;
  const b = BigInt(base);
  let underscores = false;
  for (let k = 0; k < digits.length; k++) {
    const c = digits.charCodeAt(k);
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    const d =
      c <= 0x39 && c >= 0x30 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a ? (c | 0x20) - 0x57 : 99;
    if (d >= base) return null;
    v = v * b + BigInt(d);
  }
  if (underscores && !underscoreOK(body)) return null;
  if (neg) v = -v;
  if (v > INT64_MAX || v < -INT64_MAX - 1n) return null;
  return v;
}

const DEC_FLOAT = /^[+-]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/;

export function parseGoFloat(s: string): number | null {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special !== null) return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  let v: number;
  if (DEC_FLOAT.test(s)) {
    if (!/[0-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    if (s.includes('_') && !underscoreOK(s)) return null;
    v = Number(s.replaceAll('_', ''));
  } else {
    const m = HEX_FLOAT.exec(s);
    if (m === null) return null;
    if (s.includes('_') && !underscoreOK(s)) return null;
    const int = m[2]!.replaceAll('_', '');
    const frac = (m[3] ?? '').replaceAll('_', '');
    if (int === '' && frac === '') return null;
    const mant = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
    const exp = Number(m[4]!.replaceAll('_', '')) - 4 * frac.length;
    v = Number(mant) * 2 ** exp;
    if (m[1] === '-') v = -v;
  }
  return Number.isFinite(v) ? v : null;
}

export function parseGoBool(s: string): boolean | null {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return null;
  }
}
