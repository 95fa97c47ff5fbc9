/**
 * Go's time.ParseInLocation over byte strings, with Go's leniencies and
 * errors: a run of spaces in the layout matches any run of spaces, one- or
 * two-digit days and hours where the layout says `2`/`15`, fractional
 * seconds accepted after `05` even when the layout has none, month/day
 * names matched case-insensitively, a zone abbreviation resolved against
 * the location (`CST` under Asia/Shanghai), a numeric offset winning over
 * everything but `Z`/`UTC`. The result is the instant only.
 */
import { goQuote, isDigitAt } from './bytes.js';
import { DAYS_BEFORE, daysIn, isLeap, wallSeconds } from './civil.js';
import { type Chunk, layoutChunks, Std } from './go-layout-chunks.js';
import {
  atoi,
  commaOrPeriod,
  getnum,
  getnum3,
  LONG_DAYS,
  LONG_MONTHS,
  lookupName,
  nanoRange,
  nanos,
  parseNanos,
  rest,
  SHORT_DAYS,
  SHORT_MONTHS,
  skipLiteral,
  zoneNameLen,
} from './go-layout-read.js';
import type { Zone } from './zone.js';

/**
 * A failed parse, kept as its parts: the message is only built when someone
 * reads it (DataKit tries several layouts in a row and drops most failures).
 */
export interface ParseFailure {
  readonly layout: string;
  readonly value: string;
  readonly layoutElem: string;
  readonly valueElem: string;
  /** Set for range and extra-text errors; empty for "cannot parse X as Y". */
  readonly message: string;
}

export type InstantResult = { ok: true; sec: number; nsec: number } | { ok: false; failure: ParseFailure };

/** Go's ParseError text. */
export function failureText(f: ParseFailure): string {
  return f.message === ''
    ? `parsing time ${goQuote(f.value)} as ${goQuote(f.layout)}: cannot parse ${goQuote(f.valueElem)} as ${goQuote(f.layoutElem)}`
    : `parsing time ${goQuote(f.value)}${f.message}`;
}

function fail(
  layout: string,
  value: string,
  layoutElem: string,
  valueElem: string,
  message: string,
): InstantResult {
  return { ok: false, failure: { layout, value, layoutElem, valueElem, message } };
}

function isFrac(c: Chunk | undefined): boolean {
  return c !== undefined && (c.std === Std.FracSecond0 || c.std === Std.FracSecond9);
}

/**
 * Parses a byte-string value with a byte-string Go layout in a location.
 * Fields without a zone in the text are read as wall time in `loc`.
 */
export function parseInLocation(layout: string, value: string, loc: Zone): InstantResult {
  const chunks = layoutChunks(layout);
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset = -1;
  let zoneName = '';
  let amSet = false;
  let pmSet = false;
  let v = value;

  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k];
    const skipped = skipLiteral(v, c.lit);
    if (skipped === null) return fail(layout, value, c.lit, rest, '');
    v = skipped;
    if (c.std === Std.None) {
      if (v.length !== 0) return fail(layout, value, '', v, `: extra text: ${goQuote(v)}`);
      break;
    }
    const hold = v;
    let bad = false;
    let range = '';
    switch (c.std) {
      case Std.Year: {
        if (v.length < 2) {
          bad = true;
          break;
        }
        const y = atoi(v.slice(0, 2));
        v = v.slice(2);
        if (y === null) bad = true;
        else year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case Std.LongYear: {
        if (v.length < 4 || !isDigitAt(v, 0)) {
          bad = true;
          break;
        }
        const y = atoi(v.slice(0, 4));
        v = v.slice(4);
        if (y === null) bad = true;
        else year = y;
        break;
      }
      case Std.Month:
      case Std.LongMonth: {
        const idx = lookupName(c.std === Std.Month ? SHORT_MONTHS : LONG_MONTHS, v);
        if (idx < 0) bad = true;
        else {
          month = idx + 1;
          v = rest;
        }
        break;
      }
      case Std.NumMonth:
      case Std.ZeroMonth: {
        const m = getnum(v, c.std === Std.ZeroMonth);
        if (m < 0) bad = true;
        else {
          month = m;
          v = rest;
          if (m <= 0 || m > 12) range = 'month';
        }
        break;
      }
      case Std.WeekDay:
      case Std.LongWeekDay:
        if (lookupName(c.std === Std.WeekDay ? SHORT_DAYS : LONG_DAYS, v) < 0) bad = true;
        else v = rest;
        break;
      case Std.Day:
      case Std.UnderDay:
      case Std.ZeroDay: {
        if (c.std === Std.UnderDay && v.charCodeAt(0) === 32) v = v.slice(1);
        const d = getnum(v, c.std === Std.ZeroDay);
        if (d < 0) bad = true;
        else {
          day = d;
          v = rest;
        }
        break;
      }
      case Std.UnderYearDay:
      case Std.ZeroYearDay: {
        for (let i = 0; i < 2; i++) if (c.std === Std.UnderYearDay && v.charCodeAt(0) === 32) v = v.slice(1);
        const d = getnum3(v, c.std === Std.ZeroYearDay);
        if (d < 0) bad = true;
        else {
          yday = d;
          v = rest;
        }
        break;
      }
      case Std.Hour: {
        const h = getnum(v, false);
        if (h < 0) bad = true;
        else {
          hour = h;
          v = rest;
          if (h >= 24) range = 'hour';
        }
        break;
      }
      case Std.Hour12:
      case Std.ZeroHour12: {
        const h = getnum(v, c.std === Std.ZeroHour12);
        if (h < 0) bad = true;
        else {
          hour = h;
          v = rest;
          if (h > 12) range = 'hour';
        }
        break;
      }
      case Std.Minute:
      case Std.ZeroMinute: {
        const m = getnum(v, c.std === Std.ZeroMinute);
        if (m < 0) bad = true;
        else {
          min = m;
          v = rest;
          if (m >= 60) range = 'minute';
        }
        break;
      }
      case Std.Second:
      case Std.ZeroSecond: {
        const s = getnum(v, c.std === Std.ZeroSecond);
        if (s < 0) {
          bad = true;
          break;
        }
        sec = s;
        v = rest;
        if (s >= 60) {
          range = 'second';
          break;
        }
        // A fraction in the text that the layout does not spell out is still taken.
        if (v.length >= 2 && commaOrPeriod(v.charCodeAt(0)) && isDigitAt(v, 1) && !isFrac(chunks[k + 1])) {
          let n = 2;
          while (n < v.length && isDigitAt(v, n)) n++;
          if (!parseNanos(v, n)) bad = true;
          else if (nanoRange !== '') range = nanoRange;
          else nsec = nanos;
          v = v.slice(n);
        }
        break;
      }
      case Std.PM:
      case Std.pm: {
        if (v.length < 2) {
          bad = true;
          break;
        }
        const p = v.slice(0, 2);
        v = v.slice(2);
        if (p === (c.std === Std.PM ? 'PM' : 'pm')) pmSet = true;
        else if (p === (c.std === Std.PM ? 'AM' : 'am')) amSet = true;
        else bad = true;
        break;
      }
      case Std.ISO8601TZ:
      case Std.ISO8601ShortTZ:
      case Std.ISO8601ColonTZ:
      case Std.ISO8601SecondsTZ:
      case Std.ISO8601ColonSecondsTZ:
      case Std.NumTZ:
      case Std.NumShortTZ:
      case Std.NumColonTZ:
      case Std.NumSecondsTZ:
      case Std.NumColonSecondsTZ: {
        const iso = c.std <= Std.ISO8601ColonSecondsTZ;
        if (iso && v.charCodeAt(0) === 90) {
          v = v.slice(1);
          utc = true;
          break;
        }
        let hh: string;
        let mm = '00';
        let ss = '00';
        let len: number;
        if (c.std === Std.ISO8601ColonTZ || c.std === Std.NumColonTZ) {
          if (v.length < 6 || v[3] !== ':') {
            bad = true;
            break;
          }
          hh = v.slice(1, 3);
          mm = v.slice(4, 6);
          len = 6;
        } else if (c.std === Std.NumShortTZ || c.std === Std.ISO8601ShortTZ) {
          if (v.length < 3) {
            bad = true;
            break;
          }
          hh = v.slice(1, 3);
          len = 3;
        } else if (c.std === Std.ISO8601ColonSecondsTZ || c.std === Std.NumColonSecondsTZ) {
          if (v.length < 9 || v[3] !== ':' || v[6] !== ':') {
            bad = true;
            break;
          }
          hh = v.slice(1, 3);
          mm = v.slice(4, 6);
          ss = v.slice(7, 9);
          len = 9;
        } else if (c.std === Std.ISO8601SecondsTZ || c.std === Std.NumSecondsTZ) {
          if (v.length < 7) {
            bad = true;
            break;
          }
          hh = v.slice(1, 3);
          mm = v.slice(3, 5);
          ss = v.slice(5, 7);
          len = 7;
        } else {
          if (v.length < 5) {
            bad = true;
            break;
          }
          hh = v.slice(1, 3);
          mm = v.slice(3, 5);
          len = 5;
        }
        const sign = v.charCodeAt(0);
        v = v.slice(len);
        // Like Go, a bad minute still lets an out-of-range hour be reported first.
        const h = getnum(hh, true);
        const m = h < 0 ? -1 : getnum(mm, true);
        const s = m < 0 ? -1 : getnum(ss, true);
        bad = s < 0;
        const hv = Math.max(h, 0);
        const mv = Math.max(m, 0);
        const sv = Math.max(s, 0);
        if (hv > 24) range = 'time zone offset hour';
        if (mv > 60) range = 'time zone offset minute';
        if (sv > 60) range = 'time zone offset second';
        zoneOffset = (hv * 60 + mv) * 60 + sv;
        if (sign === 45) zoneOffset = -zoneOffset;
        else if (sign !== 43) bad = true;
        break;
      }
      case Std.TZ: {
        if (v.startsWith('UTC')) {
          utc = true;
          v = v.slice(3);
          break;
        }
        const n = zoneNameLen(v);
        if (n === 0) bad = true;
        else {
          zoneName = v.slice(0, n);
          v = v.slice(n);
        }
        break;
      }
      case Std.FracSecond0: {
        const nd = 1 + c.digits;
        if (v.length < nd) {
          bad = true;
          break;
        }
        if (!parseNanos(v, nd)) bad = true;
        else if (nanoRange !== '') range = nanoRange;
        else nsec = nanos;
        v = v.slice(nd);
        break;
      }
      case Std.FracSecond9: {
        if (v.length < 2 || !commaOrPeriod(v.charCodeAt(0)) || !isDigitAt(v, 1)) break;
        let i = 0;
        while (i + 1 < v.length && isDigitAt(v, i + 1)) i++;
        if (!parseNanos(v, 1 + i)) bad = true;
        else if (nanoRange !== '') range = nanoRange;
        else nsec = nanos;
        v = v.slice(1 + i);
        break;
      }
    }
    if (range !== '') return fail(layout, value, c.text, v, `: ${range} out of range`);
    if (bad) return fail(layout, value, c.text, hold, '');
  }

  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) return fail(layout, value, '', v, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m] < yday) m++;
      d = yday - DAYS_BEFORE[m - 1];
    }
    if (month >= 0 && month !== m) return fail(layout, value, '', v, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) return fail(layout, value, '', v, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) return fail(layout, value, '', v, ': day out of range');

  const wall = wallSeconds(year, month, day, hour, min, sec);
  if (utc) return { ok: true, sec: wall, nsec };
  // Go uses -1 as "no offset seen", so an offset of exactly -1s is ignored too.
  if (zoneOffset !== -1) return { ok: true, sec: wall - zoneOffset, nsec };
  if (zoneName !== '') {
    const known = loc.offsetOfAbbrev(zoneName, wall);
    if (known !== null) return { ok: true, sec: wall - known, nsec };
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) offset = (atoi(zoneName.slice(3)) ?? 0) * 3600;
    return { ok: true, sec: wall - offset, nsec };
  }
  return { ok: true, sec: wallToInstant(wall, loc), nsec };
}

/** Go's time.Date zone step: the instant whose wall clock in loc reads `wall`. */
export function wallToInstant(wall: number, loc: Zone): number {
  const first = loc.offsetAt(wall);
  return wall - loc.offsetAt(wall - first);
}
