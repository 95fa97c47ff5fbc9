/**
 * `datetime(key, precision, fmt, tz)` and `default_time_with_fmt(key, fmt,
 * tz)`: formatting an integer timestamp, and reading a time with a layout
 * the script gives.
 *
 * datetime: the key's value becomes an int64 as spf13/cast reads it
 * ("1638253518" and 1.6e9 both work, junk is 0), is scaled from s, ms or
 * us (anything else counts as ns) with int64 wrap-around, and is printed
 * in `tz` (a tz name, "" = local) either with one of Go's named layouts
 * (`RFC3339`, `UnixDate`, ...; exact name) or else as a strftime format.
 */
import type { FieldValue } from '../../../point/index.js';
import { toByteString } from './bytes.js';
import { splitUnixNano, toUnixNano } from './civil.js';
import type { TimeContext } from './context.js';
import { formatLayout, namedLayout } from './go-layout-format.js';
import { failureText, parseInLocation } from './go-layout-parse.js';
import { castToInt64 } from './go-num.js';
import { strftime } from './strftime.js';
import { wallClock } from './wall-clock.js';
import { localZoneOf } from './zone.js';
import { loadLocation } from './zone-lookup.js';

export type FormatResult = { ok: true; text: string } | { ok: false; error: string };
export type ParseResult = { ok: true; ns: bigint } | { ok: false; error: string };

const SCALE: Readonly<Record<string, bigint>> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n };

/** The Unix nanoseconds `datetime` formats for a key's value and precision. */
export function datetimeInputNs(value: FieldValue | undefined, precision: string): bigint {
  const ts = castToInt64(value);
  const scale = Object.hasOwn(SCALE, precision) ? SCALE[precision] : 1n;
  return BigInt.asIntN(64, ts * scale);
}

/** Formats Unix nanoseconds with a named Go layout or a strftime format, in `tz` ("" = local). */
export function formatDatetime(tsNs: bigint, fmt: string, tz: string, ctx: TimeContext): FormatResult {
  let zone = localZoneOf(ctx.localZone);
  if (tz !== '') {
    const zl = loadLocation(tz, ctx.localZone);
    if (!zl.ok) return zl;
    zone = zl.zone;
  }
  const parts = [0, 0];
  splitUnixNano(tsNs, parts);
  const w = wallClock(parts[0], parts[1], zone);
  const layout = namedLayout(fmt);
  return { ok: true, text: layout !== undefined ? formatLayout(layout, w) : strftime(w, fmt) };
}

/** formatDatetime's text, or null when the zone is unknown. */
export function formatDatetimeText(tsNs: bigint, fmt: string, tz: string, ctx: TimeContext): string | null {
  const r = formatDatetime(tsNs, fmt, tz, ctx);
  return r.ok ? r.text : null;
}

/** Reads a time with a Go reference layout in `tz` (a tz name, "" = local), as `default_time_with_fmt` does. */
export function parseWithLayout(text: string, layout: string, tz: string, ctx: TimeContext): ParseResult {
  let zone = localZoneOf(ctx.localZone);
  if (tz !== '') {
    const zl = loadLocation(tz, ctx.localZone);
    if (!zl.ok) return zl;
    zone = zl.zone;
  }
  const r = parseInLocation(toByteString(layout), toByteString(text), zone);
  return r.ok ? { ok: true, ns: toUnixNano(r.sec, r.nsec) } : { ok: false, error: failureText(r.failure) };
}

/** parseWithLayout's nanoseconds, or null on failure. */
export function parseGoLayout(text: string, layout: string, tz: string, ctx: TimeContext): bigint | null {
  const r = parseWithLayout(text, layout, tz, ctx);
  return r.ok ? r.ns : null;
}
