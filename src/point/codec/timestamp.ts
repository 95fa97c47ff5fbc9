/**
 * Point timestamps on intake: the receive time for points that carry none,
 * and the scaling of a body's integer timestamps to nanoseconds by the
 * `precision=` query value, or by their magnitude when it is absent
 * (DataKit guesses: `1716544492` is seconds, `1716544492000` milliseconds).
 */

/** The current time in Unix nanoseconds. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

const SCALE: Readonly<Record<string, bigint>> = {
  n: 1n,
  ns: 1n,
  u: 1_000n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * Scale for a magnitude-guessed timestamp: by digit count, so that any
 * present-day time in s, ms, us or ns lands on the same instant.
 */
function guessScale(ts: bigint): bigint {
  if (ts < 10_000_000_000n) return 1_000_000_000n; // up to 10 digits: seconds
  if (ts < 10_000_000_000_000n) return 1_000_000n; // up to 13 digits: milliseconds
  if (ts < 10_000_000_000_000_000n) return 1_000n; // up to 16 digits: microseconds
  return 1n;
}

/**
 * `ts` in nanoseconds. `precision` is the query value; empty or absent means
 * guess; an unknown value is read as nanoseconds, as DataKit does. Only
 * positive times are scaled, and the product wraps to int64 like Go's.
 */
export function toNanos(ts: bigint, precision: string | undefined): bigint {
  if (ts <= 0n) return ts;
  const scale = precision === undefined || precision === '' ? guessScale(ts) : (SCALE[precision] ?? 1n);
  return scale === 1n ? ts : BigInt.asIntN(64, ts * scale);
}
