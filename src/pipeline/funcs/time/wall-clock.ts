/**
 * An instant read on the wall clock of a zone: every calendar field a
 * formatter may print, computed once per formatted value.
 */
import { civilFromDays, daysFromCivil, isoWeekOfDays, SECONDS_PER_DAY, weekdayOfDays } from './civil.js';
import type { Zone } from './zone.js';

export interface WallClock {
  readonly unix: number;
  readonly nsec: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly min: number;
  readonly sec: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** 1-based day of the year. */
  readonly yday: number;
  readonly isoYear: number;
  readonly isoWeek: number;
  /** Seconds east of UTC. */
  readonly offset: number;
  /** Zone abbreviation as Go prints it. */
  readonly abbrev: string;
}

export function wallClock(unix: number, nsec: number, zone: Zone): WallClock {
  const offset = zone.offsetAt(unix);
  const local = unix + offset;
  const days = Math.floor(local / SECONDS_PER_DAY);
  const sod = local - days * SECONDS_PER_DAY;
  const ymd = [0, 0, 0];
  civilFromDays(days, ymd);
  const iso = [0, 0, 0];
  isoWeekOfDays(days, iso);
  return {
    unix,
    nsec,
    year: ymd[0],
    month: ymd[1],
    day: ymd[2],
    hour: Math.floor(sod / 3600),
    min: Math.floor((sod % 3600) / 60),
    sec: sod % 60,
    weekday: weekdayOfDays(days),
    yday: days - daysFromCivil(ymd[0], 1, 1) + 1,
    isoYear: iso[0],
    isoWeek: iso[1],
    offset,
    abbrev: zone.abbrevAt(unix),
  };
}
