/**
 * Go's number conversions that decide what the time functions see: how a
 * value becomes text (runtime.Conv2String: strconv's shortest 'f' format
 * for floats) and how it becomes an int64 (spf13/cast.ToInt64, which reads
 * strings with strconv.ParseInt base 0 after dropping a ".000" tail).
 */
import { type FieldValue, UInt } from '../../../point/index.js';
import { underscoresOk } from '../lib/go-parse-float.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_63 = 2 ** 63;

/** Go's strconv.FormatFloat(x, 'f', -1, 64). */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(x, -0)) return '-0';
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // Expand JS's exponent form; the digits are already the shortest round-trip ones.
  const neg = s[0] === '-';
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const point = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 122) return l - 97 + 10;
  return 99;
}

/** Go's strconv.ParseInt(s, 0, 64): prefixes 0x/0o/0b/0, underscores; null on any error. */
export function goParseIntBase0(s: string): bigint | null {
  if (s === '') return null;
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (body === '') return null;
  let base = 10;
  if (body[0] === '0') {
    const p = body.length >= 3 ? body[1].toLowerCase() : '';
    if (p === 'b') base = 2;
    else if (p === 'o') base = 8;
    else if (p === 'x') base = 16;
    else base = 8;
    body = body.slice(base === 8 && p !== 'o' ? 1 : 2);
  }
  const b = BigInt(base);
  let x = 0n;
  let underscores = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 95) {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) return null;
    x = x * b + BigInt(d);
    if (x > 2n ** 64n) return null;
  }
  if (underscores && !underscoresOk(s)) return null;
  const v = neg ? -x : x;
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/** spf13/cast's trimZeroDecimal: "12.000" -> "12". */
export function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/** Go's int64(float64) on amd64: truncation, and the minimum int64 for NaN/Inf/out of range. */
export function goFloatToInt64(x: number): bigint {
  if (!Number.isFinite(x) || x >= TWO_63 || x < -TWO_63) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/** spf13/cast.ToInt64: errors (unparsable strings, lists, bytes) give 0. */
export function castToInt64(v: FieldValue | undefined): bigint {
  switch (typeof v) {
    case 'bigint':
      return v;
    case 'number':
      return goFloatToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string':
      return goParseIntBase0(trimZeroDecimal(v)) ?? 0n;
    default:
      if (v instanceof UInt) return BigInt.asIntN(64, v.v);
      return 0n;
  }
}
