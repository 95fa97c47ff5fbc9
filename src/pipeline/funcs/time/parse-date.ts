/**
 * `parse_date(key, yy, MM, dd, hh, mm, ss, ms, us, ns, zone)`: builds a
 * timestamp from separate parts, usually grok captures.
 *
 * Each part arrives as the script passes it; only string values count, any
 * other value (or an omitted part) is "missing". A part that is not a base
 * 10 integer also counts as missing (DataKit's sentinel for "missing" is
 * the integer 0xdeadbeef, so that value is missing too). Missing parts
 * default to the current local date and time for year, month, day, hour and
 * minute, and to 0 for seconds and the fractions. Two-digit years get the
 * current century. The month may be a number or an English name or
 * abbreviation. The zone is a tz name, a DataKit shortcut (`+8`, `CST`) or
 * "" for UTC. Out-of-range parts are errors naming the argument; the day is
 * only checked against 1..31, so Feb 31 rolls over into March as Go's
 * time.Date does.
 */
import { civilFromDays, SECONDS_PER_DAY, splitUnixNano, toUnixNano, wallSeconds } from './civil.js';
import type { TimeContext } from './context.js';
import { wallToInstant } from './go-layout-parse.js';
import { localZoneOf } from './zone.js';
import { parseDateZone } from './zone-lookup.js';

/** The parts as the script passed them: a string, or null for missing / not a string. */
export interface DateParts {
  yy?: string | null;
  MM?: string | null;
  dd?: string | null;
  hh?: string | null;
  mm?: string | null;
  ss?: string | null;
  ms?: string | null;
  us?: string | null;
  ns?: string | null;
  zone?: string | null;
}

export type DatePartsResult = { ok: true; ns: bigint } | { ok: false; error: string; arg: keyof DateParts };

const MISSING = 0xdeadbeefn;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64), with the "missing" sentinel for anything unreadable. */
function partInt(s: string | null | undefined): bigint {
  if (s === null || s === undefined || s === '') return MISSING;
  if (!/^[+-]?[0-9]+$/.test(s)) return MISSING;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? MISSING : v;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function bad(arg: keyof DateParts, error: string): DatePartsResult {
  return { ok: false, error, arg };
}

/** Builds the timestamp; `now` and the local zone supply the defaults. */
export function parseDateParts(parts: DateParts, ctx: TimeContext): DatePartsResult {
  const nowParts = [0, 0];
  splitUnixNano(ctx.now(), nowParts);
  const local = localZoneOf(ctx.localZone);
  const nowWall = nowParts[0] + local.offsetAt(nowParts[0]);
  const nowDays = Math.floor(nowWall / SECONDS_PER_DAY);
  const today = [0, 0, 0];
  civilFromDays(nowDays, today);
  const nowSod = nowWall - nowDays * SECONDS_PER_DAY;

  const yy = partInt(parts.yy);
  let year: number;
  if (yy === MISSING) year = today[0];
  else if (yy < 0n) return bad('yy', 'year should larger than 0');
  else if (yy < 100n) year = Number(yy) + Math.trunc(today[0] / 100) * 100;
  else year = Number(yy);

  let month: number;
  const mm = parts.MM ?? '';
  if (mm === '') {
    month = today[1];
  } else if (partInt(mm) !== MISSING || mm === String(MISSING)) {
    const v = BigInt(mm);
    // DataKit formats the text with %x here, so the message shows its bytes in hex.
    if (v < 1n || v > 12n)
      return bad('MM', `month should between [1,12], got ${Buffer.from(mm).toString('hex')},`);
    month = Number(v);
  } else {
    const key = mm.toLowerCase();
    if (!Object.hasOwn(MONTH_NAMES, key)) return bad('MM', `unknown month ${mm}`);
    month = MONTH_NAMES[key];
  }

  const dd = partInt(parts.dd);
  if (dd !== MISSING && (dd < 1n || dd > 31n)) return bad('dd', `month day should between [1,31], got ${dd}`);
  const day = dd === MISSING ? today[2] : Number(dd);

  const hh = partInt(parts.hh);
  if (hh !== MISSING && (hh < 0n || hh > 23n)) return bad('hh', `hour should between [0,24], got ${hh}`);
  const hour = hh === MISSING ? Math.floor(nowSod / 3600) : Number(hh);

  const mi = partInt(parts.mm);
  if (mi !== MISSING && (mi < 0n || mi > 59n)) return bad('mm', `minute should between [0,59], got ${mi}`);
  const min = mi === MISSING ? Math.floor((nowSod % 3600) / 60) : Number(mi);

  const ss = partInt(parts.ss);
  if (ss !== MISSING && (ss < 0n || ss > 59n)) return bad('ss', `second should between [0,59], got ${ss}`);
  const sec = ss === MISSING ? 0 : Number(ss);

  const frac = (v: bigint, unit: bigint) => (v === MISSING ? 0n : v * unit);
  // Go adds the three fractions in int, wrapping on overflow, then normalises into seconds.
  let nsec = BigInt.asIntN(
    64,
    frac(partInt(parts.ms), 1_000_000n) + frac(partInt(parts.us), 1000n) + frac(partInt(parts.ns), 1n),
  );
  let carry = nsec / 1_000_000_000n;
  nsec -= carry * 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    carry -= 1n;
  }

  const zl = parseDateZone(parts.zone ?? '', ctx.localZone);
  if (!zl.ok) return bad('zone', zl.error);
  const wall = wallSeconds(year, month, day, hour, min, sec + Number(carry));
  return { ok: true, ns: toUnixNano(wallToInstant(wall, zl.zone), Number(nsec)) };
}
