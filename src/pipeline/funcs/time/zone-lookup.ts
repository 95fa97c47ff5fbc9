/**
 * The three ways DataKit's time functions turn a zone argument into a
 * location, each with its own rules:
 * - Go's time.LoadLocation (`datetime`, `default_time_with_fmt`): "" and
 *   "UTC" are UTC, "Local" is the local zone, anything else a tz name;
 * - `default_time`: "" is the local zone, and a name starting with + or -
 *   must be one of DataKit's whole-hour shortcuts (`+8` = Asia/Shanghai);
 * - `parse_date`: "" is UTC, a tz name, else a shortcut from the same
 *   table (which also maps `CST` to Asia/Shanghai).
 * Failures are values carrying Go's (or DataKit's) message.
 */
import { ianaZone, localZoneOf, UTC_ZONE, type Zone } from './zone.js';

export type ZoneLookup = { ok: true; zone: Zone } | { ok: false; error: string };

/** DataKit's zone shortcuts (a fact table from its Pipeline source). */
const SHORTCUTS: Readonly<Record<string, string>> = {
  '-11': 'Pacific/Midway',
  '-10': 'Pacific/Honolulu',
  '-9:30': 'Pacific/Marquesas',
  '-9': 'America/Anchorage',
  '-8': 'America/Los_Angeles',
  '-7': 'America/Phoenix',
  '-6': 'America/Chicago',
  '-5': 'America/New_York',
  '-4': 'America/Santiago',
  '-3:30': 'America/St_Johns',
  '-3': 'America/Sao_Paulo',
  '-2': 'America/Noronha',
  '-1': 'America/Scoresbysund',
  '+0': 'Europe/London',
  '+1': 'Europe/Vatican',
  '+2': 'Europe/Kiev',
  '+3': 'Europe/Moscow',
  '+3:30': 'Asia/Tehran',
  '+4': 'Asia/Dubai',
  '+4:30': 'Asia/Kabul',
  '+5': 'Asia/Samarkand',
  '+5:30': 'Asia/Kolkata',
  '+5:45': 'Asia/Kathmandu',
  '+6': 'Asia/Almaty',
  '+6:30': 'Asia/Yangon',
  '+7': 'Asia/Jakarta',
  '+8': 'Asia/Shanghai',
  '+8:45': 'Australia/Eucla',
  '+9': 'Asia/Tokyo',
  '+9:30': 'Australia/Darwin',
  '+10': 'Australia/Sydney',
  '+10:30': 'Australia/Lord_Howe',
  '+11': 'Pacific/Guadalcanal',
  '+12': 'Pacific/Auckland',
  '+12:45': 'Pacific/Chatham',
  '+13': 'Pacific/Apia',
  '+14': 'Pacific/Kiritimati',
  CST: 'Asia/Shanghai',
  UTC: 'Europe/London',
};

function shortcut(name: string): string | undefined {
  return Object.hasOwn(SHORTCUTS, name) ? SHORTCUTS[name] : undefined;
}

/** Go's time.LoadLocation. */
export function loadLocation(name: string, localZone: string): ZoneLookup {
  if (name === '' || name === 'UTC') return { ok: true, zone: UTC_ZONE };
  if (name === 'Local') return { ok: true, zone: localZoneOf(localZone) };
  const zone = ianaZone(name);
  return zone === null ? { ok: false, error: `unknown time zone ${name}` } : { ok: true, zone };
}

/** The zone of `default_time(key, timezone)`. */
export function defaultTimeZone(tz: string, localZone: string): ZoneLookup {
  if (tz === '') return { ok: true, zone: localZoneOf(localZone) };
  const c = tz.charCodeAt(0);
  if (c === 43 || c === 45) {
    const mapped = shortcut(tz);
    if (mapped === undefined) return { ok: false, error: `fail to parse timezone ${tz}` };
    return loadLocation(mapped, localZone);
  }
  return loadLocation(tz, localZone);
}

/** The zone of `parse_date(..., zone)`. */
export function parseDateZone(zone: string, localZone: string): ZoneLookup {
  if (zone === '') return { ok: true, zone: UTC_ZONE };
  const direct = loadLocation(zone, localZone);
  if (direct.ok) return direct;
  const mapped = shortcut(zone);
  if (mapped === undefined) return { ok: false, error: `unknown timezone ${zone}` };
  return loadLocation(mapped, localZone);
}
