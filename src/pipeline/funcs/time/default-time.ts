/**
 * `default_time(key, timezone)`: DataKit's reading of a time string of
 * unknown layout into Unix nanoseconds. In order:
 * 1. the zone argument: "" is the local zone, `+8`-style shortcuts are
 *    DataKit's table, anything else a tz name;
 * 2. a few fixed Go layouts DataKit tries first (nginx, redis, mysql, gin,
 *    apache, postgresql), read in that zone; the first that parses wins if
 *    its result is after 1970 (the year-less redis layout takes the local
 *    current year);
 * 3. otherwise the layout guess of guess-layout.ts.
 */
import { type FieldValue, UInt } from '../../../point/index.js';
import { isDigitAt, toByteString } from './bytes.js';
import { civilFromDays, SECONDS_PER_DAY, splitUnixNano, toUnixNano } from './civil.js';
import type { TimeContext } from './context.js';
import { parseInLocation } from './go-layout-parse.js';
import { goFormatFloat } from './go-num.js';
import { guessAndParse } from './guess-layout.js';
import { localZoneOf } from './zone.js';
import { defaultTimeZone } from './zone-lookup.js';

export type TimeResult = { ok: true; ns: bigint } | { ok: false; error: string };

interface FixedPattern {
  readonly layout: string;
  /** The layout has no year: the current local year is appended to the text. */
  readonly appendYear: boolean;
}

const FIXED_PATTERNS: readonly FixedPattern[] = [
  { layout: '02/Jan/2006:15:04:05 -0700', appendYear: false },
  { layout: '02 Jan 2006 15:04:05.000', appendYear: false },
  { layout: '02 Jan 15:04:05.000 2006', appendYear: true },
  { layout: '060102 15:04:05', appendYear: false },
  { layout: '2006/01/02 - 15:04:05', appendYear: false },
  { layout: 'Mon Jan 2 15:04:05.000000 2006', appendYear: false },
  { layout: '2006-01-02 15:04:05.000 UTC', appendYear: false },
];

function localYear(ctx: TimeContext): number {
  const parts = [0, 0];
  splitUnixNano(ctx.now(), parts);
  const zone = localZoneOf(ctx.localZone);
  const ymd = [0, 0, 0];
  civilFromDays(Math.floor((parts[0] + zone.offsetAt(parts[0])) / SECONDS_PER_DAY), ymd);
  return ymd[0];
}

/**
 * True when `guessTime(text, …)` may read the clock (the year-less layout,
 * tried only for text starting "dd "). Any other text gives a result that
 * depends on the text, the zone argument and the local zone alone, so a
 * caller may remember it.
 */
export function readsClock(text: string): boolean {
  return isDigitAt(text, 0) && isDigitAt(text, 1) && text.charCodeAt(2) === 32;
}

/** The Unix nanoseconds of a time string, as `default_time` reads it. */
export function guessTime(text: string, tz: string, ctx: TimeContext): TimeResult {
  const zl = defaultTimeZone(tz, ctx.localZone);
  if (!zl.ok) return zl;
  const value = toByteString(text);
  for (let k = 0; k < FIXED_PATTERNS.length; k++) {
    const p = FIXED_PATTERNS[k];
    // The year-less layout starts "02 ": only then is the clock worth reading.
    if (p.appendYear && !(isDigitAt(value, 0) && isDigitAt(value, 1) && value.charCodeAt(2) === 32)) continue;
    const r = parseInLocation(p.layout, p.appendYear ? `${value} ${localYear(ctx)}` : value, zl.zone);
    if (r.ok) {
      const ns = toUnixNano(r.sec, r.nsec);
      if (ns > 0n) return { ok: true, ns };
      break;
    }
  }
  return guessAndParse(value, zl.zone);
}

/** guessTime's nanoseconds, or null when the text cannot be read. */
export function guessTimeNs(text: string, tz: string, ctx: TimeContext): bigint | null {
  const r = guessTime(text, tz, ctx);
  return r.ok ? r.ns : null;
}

/**
 * The text a key's value is read as (runtime.Conv2String): ints in
 * decimal, floats in Go's shortest non-exponent form (1.6e9 -> "1600000000"),
 * bools as true/false, nil as "", arrays as JSON. Undefined (no such key) stays null.
 */
export function timeInputText(v: FieldValue | undefined): string | null {
  switch (typeof v) {
    case 'undefined':
      return null;
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'number':
      return goFormatFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return '';
      if (v instanceof UInt) return v.v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
      return JSON.stringify(v, (_k, x) =>
        typeof x === 'bigint' ? Number(x) : x instanceof UInt ? Number(x.v) : x,
      );
  }
}
