/**
 * Go's Time.Format for reference layouts, and the named layouts DataKit's
 * `datetime` accepts by name (`RFC3339`, `UnixDate`, `Kitchen`, ...).
 */
import { layoutChunks, Std } from './go-layout-chunks.js';
import { LONG_DAYS, LONG_MONTHS, SHORT_DAYS, SHORT_MONTHS } from './go-layout-read.js';
import type { WallClock } from './wall-clock.js';

/** Go's predefined layouts that `datetime(key, precision, fmt)` recognises by name. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
};

export function namedLayout(name: string): string | undefined {
  return Object.hasOwn(NAMED_LAYOUTS, name) ? NAMED_LAYOUTS[name] : undefined;
}

/** Go's appendInt: sign, then the magnitude zero-padded to width. */
function padInt(x: number, width: number): string {
  const neg = x < 0;
  let s = String(neg ? -x : x);
  while (s.length < width) s = `0${s}`;
  return neg ? `-${s}` : s;
}

function fraction(nsec: number, digits: number, sep: string, trim: boolean): string {
  if (trim && (digits === 0 || nsec === 0)) return '';
  let s = padInt(nsec, 9);
  if (digits < 9) s = s.slice(0, digits);
  if (trim) {
    let end = s.length;
    while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
    s = s.slice(0, end);
    return s === '' ? '' : sep + s;
  }
  return sep + s;
}

function offsetText(offset: number, std: number): string {
  const iso =
    std === Std.ISO8601TZ ||
    std === Std.ISO8601ColonTZ ||
    std === Std.ISO8601SecondsTZ ||
    std === Std.ISO8601ShortTZ ||
    std === Std.ISO8601ColonSecondsTZ;
  if (iso && offset === 0) return 'Z';
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out: string;
  if (zone < 0) {
    out = '-';
    zone = -zone;
    abs = -abs;
  } else {
    out = '+';
  }
  out += padInt(Math.floor(zone / 60), 2);
  const colon =
    std === Std.ISO8601ColonTZ ||
    std === Std.NumColonTZ ||
    std === Std.ISO8601ColonSecondsTZ ||
    std === Std.NumColonSecondsTZ;
  if (colon) out += ':';
  if (std !== Std.NumShortTZ && std !== Std.ISO8601ShortTZ) out += padInt(zone % 60, 2);
  if (
    std === Std.ISO8601SecondsTZ ||
    std === Std.NumSecondsTZ ||
    std === Std.NumColonSecondsTZ ||
    std === Std.ISO8601ColonSecondsTZ
  ) {
    if (std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) out += ':';
    out += padInt(abs % 60, 2);
  }
  return out;
}

/** Formats a wall clock with a Go reference layout. */
export function formatLayout(layout: string, w: WallClock): string {
  const chunks = layoutChunks(layout);
  let out = '';
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k];
    out += c.lit;
    switch (c.std) {
      case Std.None:
        break;
      case Std.Year:
        out += padInt(w.year % 100, 2);
        break;
      case Std.LongYear:
        out += padInt(w.year, 4);
        break;
      case Std.Month:
        out += SHORT_MONTHS[w.month - 1];
        break;
      case Std.LongMonth:
        out += LONG_MONTHS[w.month - 1];
        break;
      case Std.NumMonth:
        out += String(w.month);
        break;
      case Std.ZeroMonth:
        out += padInt(w.month, 2);
        break;
      case Std.WeekDay:
        out += SHORT_DAYS[w.weekday];
        break;
      case Std.LongWeekDay:
        out += LONG_DAYS[w.weekday];
        break;
      case Std.Day:
        out += String(w.day);
        break;
      case Std.UnderDay:
        out += w.day < 10 ? ` ${w.day}` : String(w.day);
        break;
      case Std.ZeroDay:
        out += padInt(w.day, 2);
        break;
      case Std.UnderYearDay:
        out += w.yday < 10 ? `  ${w.yday}` : w.yday < 100 ? ` ${w.yday}` : String(w.yday);
        break;
      case Std.ZeroYearDay:
        out += padInt(w.yday, 3);
        break;
      case Std.Hour:
        out += padInt(w.hour, 2);
        break;
      case Std.Hour12:
        out += String(w.hour % 12 === 0 ? 12 : w.hour % 12);
        break;
      case Std.ZeroHour12:
        out += padInt(w.hour % 12 === 0 ? 12 : w.hour % 12, 2);
        break;
      case Std.Minute:
        out += String(w.min);
        break;
      case Std.ZeroMinute:
        out += padInt(w.min, 2);
        break;
      case Std.Second:
        out += String(w.sec);
        break;
      case Std.ZeroSecond:
        out += padInt(w.sec, 2);
        break;
      case Std.PM:
        out += w.hour >= 12 ? 'PM' : 'AM';
        break;
      case Std.pm:
        out += w.hour >= 12 ? 'pm' : 'am';
        break;
      case Std.TZ:
        if (w.abbrev !== '') {
          out += w.abbrev;
        } else {
          const zone = Math.trunc(w.offset / 60);
          const abs = Math.abs(zone);
          out += (zone < 0 ? '-' : '+') + padInt(Math.floor(abs / 60), 2) + padInt(abs % 60, 2);
        }
        break;
      case Std.FracSecond0:
      case Std.FracSecond9:
        out += fraction(w.nsec, c.digits, c.sep, c.std === Std.FracSecond9);
        break;
      default:
        out += offsetText(w.offset, c.std);
        break;
    }
  }
  return out;
}
