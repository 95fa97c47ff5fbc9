/**
 * Proleptic Gregorian calendar arithmetic on plain numbers: the conversions
 * between (year, month, day) and days since 1970-01-01 that Go's time
 * package does, kept away from JS Date (whose range is limited and whose
 * Intl formatting switches to the Julian calendar before 1582).
 */

export const SECONDS_PER_DAY = 86400;

/** Days from 1970-01-01 to the civil date; month is 1..12, day may run past the month. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day count, written into `out` as [year, month, day]. */
export function civilFromDays(days: number, out: number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysIn(month: number, year: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN[month - 1];
}

/** Cumulative days before each month in a non-leap year (index 0..12). */
export const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** 0 = Sunday, as Go's time.Weekday. */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/**
 * Go's Time.ISOWeek for a day count: the ISO year and week (weeks start on
 * Monday; week 1 holds the year's first Thursday).
 */
export function isoWeekOfDays(days: number, out: number[]): void {
  let shift = 4 - weekdayOfDays(days);
  if (shift === 4) shift = -3;
  const thursday = days + shift;
  civilFromDays(thursday, out);
  const yday0 = thursday - daysFromCivil(out[0], 1, 1);
  out[1] = Math.floor(yday0 / 7) + 1;
}

/** Go's norm(hi, lo, base): moves whole multiples of base from lo into hi. */
export function normPair(hi: number, lo: number, base: number, out: number[]): void {
  if (lo < 0) {
    const n = Math.floor((-lo - 1) / base) + 1;
    hi -= n;
    lo += n * base;
  }
  if (lo >= base) {
    const n = Math.floor(lo / base);
    hi += n;
    lo -= n * base;
  }
  out[0] = hi;
  out[1] = lo;
}

/**
 * Seconds since the epoch of a wall-clock reading taken as UTC, normalising
 * the month as Go's time.Date does (day, hour, minute and second overflow
 * fall out of the linear day count).
 */
export function wallSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
): number {
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1;
  return (daysFromCivil(y, m, 1) + day - 1) * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Unix nanoseconds of (seconds, nanoseconds), wrapped to int64 as Go's UnixNano overflows. */
export function toUnixNano(sec: number, nsec: number): bigint {
  return BigInt.asIntN(64, BigInt(sec) * NS_PER_SECOND + BigInt(nsec));
}

/** Splits Unix nanoseconds into floor seconds and a nanosecond remainder in [0, 1e9). */
export function splitUnixNano(ns: bigint, out: number[]): void {
  let s = ns / NS_PER_SECOND;
  let r = ns - s * NS_PER_SECOND;
  if (r < 0n) {
    s -= 1n;
    r += NS_PER_SECOND;
  }
  out[0] = Number(s);
  out[1] = Number(r);
}
