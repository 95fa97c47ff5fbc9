/**
 * Time zones as Go's *time.Location behaves for the Pipeline functions:
 * the offset in effect at an instant, the abbreviation Go prints, and Go's
 * lookup of an abbreviation parsed from text (`CST` means +08:00 under
 * Asia/Shanghai and -06:00 under America/Chicago).
 *
 * Offsets come from the platform's Intl data: the wall clock an
 * Intl.DateTimeFormat shows for an instant, minus the instant. One
 * formatter per zone is created and kept. Instants are clamped to
 * 1800..9999 because Intl formats earlier dates in the Julian calendar
 * (before 1800 every zone is on local mean time anyway). From 1980 on,
 * where zone transitions fall on quarter hours, offsets are memoised per
 * quarter hour so a stream of log lines costs one Intl call per zone and
 * quarter hour.
 */
import { daysFromCivil, SECONDS_PER_DAY } from './civil.js';
import { numericAbbrev, zoneNames } from './zone-abbrev.js';

export interface Zone {
  /** The name the zone was loaded by. */
  readonly name: string;
  /** Seconds east of UTC in effect at the instant. */
  offsetAt(unixSec: number): number;
  /** The abbreviation Go prints for the instant (`CST`, `EDT`, `+08`). */
  abbrevAt(unixSec: number): string;
  /**
   * Go's Location.lookupName: the offset an abbreviation stands for in this
   * zone around `wallSec` (a wall-clock reading taken as UTC), or null when
   * the zone never uses that abbreviation.
   */
  offsetOfAbbrev(abbrev: string, wallSec: number): number | null;
}

export class FixedZone implements Zone {
  readonly name: string;
  readonly #offset: number;
  readonly #abbrev: string;

  constructor(name: string, offsetSec: number, abbrev: string) {
    this.name = name;
    this.#offset = offsetSec;
    this.#abbrev = abbrev;
  }

  offsetAt(): number {
    return this.#offset;
  }

  abbrevAt(): string {
    return this.#abbrev;
  }

  offsetOfAbbrev(abbrev: string): number | null {
    return abbrev === this.#abbrev ? this.#offset : null;
  }
}

export const UTC_ZONE: Zone = new FixedZone('UTC', 0, 'UTC');

const MIN_SEC = daysFromCivil(1800, 1, 1) * SECONDS_PER_DAY;
const MAX_SEC = daysFromCivil(9999, 12, 31) * SECONDS_PER_DAY;
const MEMO_FROM = daysFromCivil(1980, 1, 1) * SECONDS_PER_DAY;
const MEMO_BUCKET = 900;
const MEMO_MAX = 4096;
const YEAR_SECONDS = 365.2425 * SECONDS_PER_DAY;

class IanaZone implements Zone {
  readonly name: string;
  readonly #dtf: Intl.DateTimeFormat;
  readonly #names: readonly [string, string?] | undefined;
  readonly #memo = new Map<number, number>();
  readonly #seasons = new Map<number, number[]>();

  constructor(name: string, dtf: Intl.DateTimeFormat) {
    this.name = name;
    this.#dtf = dtf;
    this.#names = zoneNames(name, dtf.resolvedOptions().timeZone);
  }

  offsetAt(unixSec: number): number {
    let s = Math.floor(unixSec);
    if (s < MIN_SEC) s = MIN_SEC;
    else if (s > MAX_SEC) s = MAX_SEC;
    if (s < MEMO_FROM) return this.#compute(s);
    const key = Math.floor(s / MEMO_BUCKET);
    const hit = this.#memo.get(key);
    if (hit !== undefined) return hit;
    const off = this.#compute(s);
    if (this.#memo.size >= MEMO_MAX) this.#memo.clear();
    this.#memo.set(key, off);
    return off;
  }

  #compute(s: number): number {
    const parts = this.#dtf.formatToParts(new Date(s * 1000));
    let y = 1970;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let se = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          se = Number(p.value);
          break;
      }
    }
    return daysFromCivil(y, mo, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + se - s;
  }

  /** [standard, daylight] offsets of the year holding the instant: the smaller and larger of January's and July's. */
  #season(unixSec: number): number[] {
    const year = 1970 + Math.floor(unixSec / YEAR_SECONDS);
    let pair = this.#seasons.get(year);
    if (pair === undefined) {
      const jan = this.offsetAt(daysFromCivil(year, 1, 1) * SECONDS_PER_DAY);
      const jul = this.offsetAt(daysFromCivil(year, 7, 1) * SECONDS_PER_DAY);
      const std = Math.min(jan, jul);
      let dst = Math.max(jan, jul);
      if (dst === std && this.#names !== undefined && this.#names[1] !== undefined) dst = std + 3600;
      pair = [std, dst];
      if (this.#seasons.size >= 512) this.#seasons.clear();
      this.#seasons.set(year, pair);
    }
    return pair;
  }

  abbrevAt(unixSec: number): string {
    const off = this.offsetAt(unixSec);
    const names = this.#names;
    if (names === undefined) return numericAbbrev(off);
    if (names[1] === undefined) return names[0];
    return off > this.#season(unixSec)[0] ? names[1] : names[0];
  }

  offsetOfAbbrev(abbrev: string, wallSec: number): number | null {
    const [std, dst] = this.#season(wallSec);
    // First choice: an offset whose abbreviation is really in effect then.
    if (this.abbrevAt(wallSec - std) === abbrev && this.offsetAt(wallSec - std) === std) return std;
    if (this.abbrevAt(wallSec - dst) === abbrev && this.offsetAt(wallSec - dst) === dst) return dst;
    // Otherwise any offset the zone knows by that name.
    const names = this.#names;
    if (names !== undefined) {
      if (abbrev === names[0]) return std;
      if (names[1] !== undefined && abbrev === names[1]) return dst;
      return null;
    }
    if (abbrev === numericAbbrev(std)) return std;
    if (abbrev === numericAbbrev(dst)) return dst;
    return null;
  }
}

/**
 * Names ICU accepts that are not in the tz database, so Go's LoadLocation
 * rejects them: ICU's legacy three-letter ids (`CST` would otherwise load
 * America/Chicago, where DataKit falls back to its own table and means
 * Asia/Shanghai), SystemV zones and links the tz database has dropped.
 */
const NOT_TZDB = new Set([
  'ACT',
  'AET',
  'AGT',
  'ART',
  'AST',
  'BET',
  'BST',
  'CAT',
  'CNT',
  'CST',
  'CTT',
  'EAT',
  'ECT',
  'IET',
  'IST',
  'JST',
  'MIT',
  'NET',
  'NST',
  'PLT',
  'PNT',
  'PRT',
  'PST',
  'SST',
  'VST',
  'US/Pacific-New',
  'Canada/East-Saskatchewan',
]);

const ZONES = new Map<string, Zone | null>();
const ZONES_MAX = 1024;

/**
 * Go-style names only: every path segment starts with something other than
 * a lower-case letter (Go's zoneinfo lookup is case-sensitive, Intl's is
 * not), and offset strings such as `+08:00` are not zone names to Go.
 */
function looksLikeZoneName(name: string): boolean {
  if (name === '' || name.includes('..')) return false;
  const c0 = name.charCodeAt(0);
  if (c0 === 43 || c0 === 45 || c0 === 47 || c0 === 92) return false;
  let atStart = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 47) {
      if (atStart) return false;
      atStart = true;
      continue;
    }
    if (atStart && c >= 97 && c <= 122) return false;
    atStart = false;
  }
  return !atStart;
}

function createZone(name: string): Zone | null {
  if (!looksLikeZoneName(name) || NOT_TZDB.has(name) || name.startsWith('SystemV/')) return null;
  try {
    const dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    return new IanaZone(name, dtf);
  } catch {
    return null;
  }
}

/** A tz database zone by name (`Asia/Shanghai`, `EST5EDT`, `Etc/GMT-8`), or null if the platform does not know it. */
export function ianaZone(name: string): Zone | null {
  let z = ZONES.get(name);
  if (z !== undefined) return z;
  z = name === 'UTC' ? UTC_ZONE : createZone(name);
  if (ZONES.size >= ZONES_MAX) ZONES.clear();
  ZONES.set(name, z);
  return z;
}

/** Go's time.Local for a local zone name: an unknown name means UTC, as Go treats a bad TZ. */
export function localZoneOf(localZone: string): Zone {
  if (localZone === '' || localZone === 'UTC') return UTC_ZONE;
  return ianaZone(localZone) ?? UTC_ZONE;
}
