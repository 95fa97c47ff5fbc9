/**
 * The clock functions: `timestamp(precision)` and `adjust_timezone(key)`.
 *
 * adjust_timezone is for logs written in a zone other than the one they
 * were parsed in: it shifts the timestamp by whole hours so that it falls
 * within (-60 + minute, minute] minutes of now, i.e. it assumes the log
 * line is at most an hour old and at most `minute` minutes in the future.
 * `minute` is clamped to [0, 15] and is 2 in practice: DataKit's checker
 * accepts exactly one argument, so scripts cannot change it.
 */

const HOUR = 3_600_000_000_000n;
const MINUTE = 60_000_000_000n;

/** `timestamp(precision)`: now in s, ms or us; anything else (the default "ns") gives nanoseconds. */
export function timestampAt(precision: string, nowNs: bigint): bigint {
  switch (precision) {
    case 's':
      return nowNs / 1_000_000_000n;
    case 'ms':
      return nowNs / 1_000_000n;
    case 'us':
      return nowNs / 1000n;
    default:
      return nowNs;
  }
}

/** `adjust_timezone`: the log time moved by whole hours next to now (Go's truncating int64 arithmetic). */
export function adjustTimezone(logNs: bigint, nowNs: bigint, minute = 2): bigint {
  const allow = BigInt(Math.min(15, Math.max(0, Math.trunc(minute)))) * MINUTE;
  let t = logNs - (logNs / HOUR - nowNs / HOUR) * HOUR;
  if (t - nowNs > allow) t -= HOUR;
  else if (t - nowNs <= -HOUR + allow) t += HOUR;
  return BigInt.asIntN(64, t);
}
