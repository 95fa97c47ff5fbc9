/**
 * @module pipeline/funcs/time — the time logic of DataKit's Pipeline
 * functions, as pure functions. Nothing here reads the environment: the
 * local zone (Go's time.Local, DataKit's TZ) and the clock come in a
 * TimeContext. Nothing throws on bad input; failures are values, and what
 * the script function must do with them is DataKit's behaviour:
 *
 * - `default_time(key, timezone="")`: read the key with `timeInputText`
 *   (missing key: do nothing), then `guessTime(text, tz, ctx)`. On success
 *   set the key to the int ns. On failure set the key to the point's time
 *   (int ns) and the field `pl_msg` to `time convert failed: <error>`; the
 *   run goes on. An unknown tz (`Asia/Nowhere`, `+15`) is such a failure.
 * - `default_time_with_fmt(key, fmt, tz="")`: `parseWithLayout(text, fmt,
 *   tz, ctx)`; on success set the key to the int ns, on failure (bad text
 *   or unknown tz) leave everything unchanged.
 * - `datetime(key, precision, fmt, tz="")`: missing key: do nothing;
 *   otherwise `datetimeInputNs(value, precision)` then `formatDatetime(ns,
 *   fmt, tz, ctx)` and set the key to the string. An unknown tz is a run
 *   error (the only failure).
 * - `parse_date(key, yy, MM, dd, hh, mm, ss, ms, us, ns, zone)`:
 *   `parseDateParts(parts, ctx)`; on success set the key to the int ns; a
 *   failure (out-of-range part, unknown month or zone) is a run error at
 *   the argument `arg`.
 * - `parse_duration(key)`: only a string value is read; `parseGoDuration`
 *   gives int ns to store, or null: leave the key unchanged.
 * - `duration_precision(key, old, new)`: the value must be an int (else a
 *   run error); `durationPrecision` gives the new int, or null for an
 *   unknown precision: leave the key unchanged.
 * - `timestamp(precision="ns")`: `timestampAt(precision, ctx.now())`.
 * - `adjust_timezone(key)`: an int value is replaced by
 *   `adjustTimezone(value, ctx.now())`; any other type is a run error;
 *   a missing key does nothing.
 */
export { adjustTimezone, timestampAt } from './clock.js';
export type { TimeContext } from './context.js';
export { makeTimeContext, systemNowNs } from './context.js';
export type { FormatResult, ParseResult } from './datetime.js';
export {
  datetimeInputNs,
  formatDatetime,
  formatDatetimeText,
  parseGoLayout,
  parseWithLayout,
} from './datetime.js';
export type { TimeResult } from './default-time.js';
export { guessTime, guessTimeNs, readsClock, timeInputText } from './default-time.js';
export type { DurationResult } from './duration.js';
export { durationPrecision, parseDuration, parseGoDuration } from './duration.js';
export { NAMED_LAYOUTS } from './go-layout-format.js';
export { castToInt64, goFormatFloat } from './go-num.js';
export type { DateParts, DatePartsResult } from './parse-date.js';
export { parseDateParts } from './parse-date.js';
export type { Zone } from './zone.js';
export { ianaZone, localZoneOf, UTC_ZONE } from './zone.js';
export type { ZoneLookup } from './zone-lookup.js';
export { defaultTimeZone, loadLocation, parseDateZone } from './zone-lookup.js';
