/**
 * Go duration strings (`time.ParseDuration`: "10s", "1m", "100ms",
 * "1h30m", "1.5h", "300us", "0") to milliseconds, because DataKit configs
 * and `ENV_*` variables use that syntax everywhere.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/y;

/** Milliseconds, or null when `s` is not a Go duration. Negative durations are allowed here. */
export function parseGoDuration(s: string): number | null {
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    i = 1;
  }
  const rest = s.slice(i);
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < rest.length) {
    PART.lastIndex = pos;
    const m = PART.exec(rest);
    if (m === null) return null;
    const num = m[1]!;
    const unit = m[2]!;
    if (num === '' || num === '.') return null;
    const factor = UNIT_MS[unit];
    if (factor === undefined) return null;
    total += Number(num) * factor;
    pos = PART.lastIndex;
  }
  return sign * total;
}
