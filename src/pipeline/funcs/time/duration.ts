/**
 * `parse_duration(key)` and `duration_precision(key, old, new)`.
 *
 * parse_duration reads Go's time.ParseDuration syntax exactly: an optional
 * sign, then one or more decimal numbers each with a unit (ns, us, µs, μs,
 * ms, s, m, h), e.g. "1h15m30.5s", "-2.3s", "1µs"; a bare "0" is zero.
 * Fractions are converted through float64 as Go does, and anything beyond
 * int64 nanoseconds is an error.
 */
import { goQuote, toByteString } from './bytes.js';

export type DurationResult = { ok: true; ns: bigint } | { ok: false; error: string };

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const LIMIT = 2n ** 63n;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Go's time.ParseDuration. */
export function parseDuration(text: string): DurationResult {
  const invalid = (): DurationResult => ({
    ok: false,
    error: `time: invalid duration ${goQuote(toByteString(text))}`,
  });
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0n };
  if (s === '') return invalid();
  let total = 0n;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c0 = s.charCodeAt(i);
    if (!(c0 === 46 || isDigit(c0))) return invalid();
    // Whole part: any overflow is an error.
    const start = i;
    let v = 0n;
    while (i < n && isDigit(s.charCodeAt(i))) {
      if (v > LIMIT / 10n) return invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return invalid();
      i++;
    }
    const pre = i !== start;
    // Fraction: precision simply stops accumulating on overflow.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      const fstart = i;
      let overflow = false;
      while (i < n && isDigit(s.charCodeAt(i))) {
        if (!overflow) {
          const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
          if (f > (LIMIT - 1n) / 10n || y > LIMIT) overflow = true;
          else {
            f = y;
            scale *= 10;
          }
        }
        i++;
      }
      post = i !== fstart;
    }
    if (!pre && !post) return invalid();
    const ustart = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 46 || isDigit(c)) break;
      i++;
    }
    if (i === ustart)
      return { ok: false, error: `time: missing unit in duration ${goQuote(toByteString(text))}` };
    const u = s.slice(ustart, i);
    const unit = Object.hasOwn(UNITS, u) ? UNITS[u] : undefined;
    if (unit === undefined) {
      return {
        ok: false,
        error: `time: unknown unit ${goQuote(toByteString(u))} in duration ${goQuote(toByteString(text))}`,
      };
    }
    if (v > LIMIT / unit) return invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return invalid();
    }
    total += v;
    if (total > LIMIT) return invalid();
  }
  if (neg) return { ok: true, ns: BigInt.asIntN(64, -total) };
  if (total > LIMIT - 1n) return invalid();
  return { ok: true, ns: total };
}

/** parseDuration's nanoseconds, or null (the key is then left as it was). */
export function parseGoDuration(text: string): bigint | null {
  const r = parseDuration(text);
  return r.ok ? r.ns : null;
}

const EXPONENTS: Readonly<Record<string, number>> = { s: 0, ms: 3, us: 6, ns: 9 };

/**
 * `duration_precision`: rescales an int from one of s/ms/us/ns to another
 * (case-insensitive) by repeated *10 (wrapping like int64) or /10
 * (truncating). Null for an unknown precision: the key is left as it was.
 */
export function durationPrecision(value: bigint, from: string, to: string): bigint | null {
  const a = exponentOf(from);
  const b = exponentOf(to);
  if (a === null || b === null) return null;
  if (b > a) return BigInt.asIntN(64, value * 10n ** BigInt(b - a));
  if (b < a) return value / 10n ** BigInt(a - b);
  return value;
}

function exponentOf(precision: string): number | null {
  const p = precision.toLowerCase();
  return Object.hasOwn(EXPONENTS, p) ? EXPONENTS[p] : null;
}
