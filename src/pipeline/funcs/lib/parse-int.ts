/**
 * `parse_int(s, base)`: Go's `strconv.ParseInt(s, base, 64)` with the error
 * dropped, as DataKit does: syntax and base errors give 0, overflow gives
 * the clamped int64 bound. Base 0 reads a 0b/0o/0x/0 prefix and allows `_`
 * between digits.
 */
import { underscoresOk } from './go-parse-float.js';

const MAX_U64 = (1n << 64n) - 1n;

export interface ParsedInt {
  value: bigint;
  /** null, 'syntax', 'range' or 'base', mirroring Go's error kinds. */
  err: 'syntax' | 'range' | 'base' | null;
}

function digitOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 99;
}

/** Go's `strconv.ParseUint(s, base, 64)`. */
export function parseUint(s0: string, base0: number): ParsedInt {
  if (s0 === '') return { value: 0n, err: 'syntax' };
  let s = s0;
  let base = base0;
  const prefixed = base === 0;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
      if (p === 'b' || p === 'o' || p === 'x') {
        base = p === 'b' ? 2 : p === 'o' ? 8 : 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  } else if (base < 2 || base > 36) return { value: 0n, err: 'base' };
  const b = BigInt(base);
  const cutoff = MAX_U64 / b + 1n;
  let n = 0n;
  let underscores = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f && prefixed) {
      underscores = true;
      continue;
    }
    const d = digitOf(c);
    if (d >= base) return { value: 0n, err: 'syntax' };
    // overflow is reported as soon as it happens, before later bad digits
    if (n >= cutoff) return { value: MAX_U64, err: 'range' };
    n = n * b + BigInt(d);
    if (n > MAX_U64) return { value: MAX_U64, err: 'range' };
  }
  if (underscores && !underscoresOk(s0)) return { value: 0n, err: 'syntax' };
  return { value: n, err: null };
}

/** Go's `strconv.ParseInt(s, base, 64)`. */
export function goParseInt(s: string, base: number): ParsedInt {
  if (s === '') return { value: 0n, err: 'syntax' };
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseUint(body, base);
  if (u.err !== null && u.err !== 'range') return { value: 0n, err: u.err };
  const cutoff = 1n << 63n;
  if (!neg && u.value >= cutoff) return { value: cutoff - 1n, err: 'range' };
  if (neg && u.value > cutoff) return { value: -cutoff, err: 'range' };
  return { value: neg ? -u.value : u.value, err: u.err };
}

/** `parse_int`: the value DataKit stores, errors ignored. */
export function parseIntBase(s: string, base: bigint): bigint {
  if (base < -(1n << 31n) || base > 1n << 31n) return 0n;
  return goParseInt(s, Number(base)).value;
}
