/**
 * What the time functions need from the world outside the script: the
 * process-local zone (Go's time.Local, which DataKit takes from TZ) and the
 * clock. Both are handed in, never read from the environment here, so a
 * test can run every conformance case in the zone and at the instant it was
 * recorded with.
 */

export interface TimeContext {
  /** IANA name of the local zone; an unknown name behaves as UTC, as Go does for a bad TZ. */
  readonly localZone: string;
  /** Current time in Unix nanoseconds. */
  now(): bigint;
}

/** Wall-clock now in Unix nanoseconds, with microsecond resolution. */
export function systemNowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

export function makeTimeContext(localZone: string, now: () => bigint = systemNowNs): TimeContext {
  return { localZone, now };
}
