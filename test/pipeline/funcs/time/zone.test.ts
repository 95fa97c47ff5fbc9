/** Zones: Intl-derived offsets, Go abbreviations, and the three DataKit ways of naming a zone. */
import { describe, expect, it } from 'vitest';
import { ianaZone, localZoneOf, UTC_ZONE } from '../../../../src/pipeline/funcs/time/zone.js';
import {
  defaultTimeZone,
  loadLocation,
  parseDateZone,
} from '../../../../src/pipeline/funcs/time/zone-lookup.js';

const JAN = 1610960605; // 2021-01-18T09:03:25Z
const JUL = 1625216605; // 2021-07-02T09:03:25Z

describe('ianaZone', () => {
  it.each([
    ['Asia/Shanghai', JAN, 28800, 'CST'],
    ['Asia/Shanghai', 0, 28800, 'CST'],
    ['America/New_York', JAN, -18000, 'EST'],
    ['America/New_York', JUL, -14400, 'EDT'],
    ['Europe/Dublin', JUL, 3600, 'IST'],
    ['Australia/Sydney', JAN, 39600, 'AEDT'],
    ['Australia/Sydney', JUL, 36000, 'AEST'],
    ['Asia/Kathmandu', JAN, 20700, '+0545'],
    ['Etc/GMT-8', JAN, 28800, '+08'],
    ['Etc/UTC', JAN, 0, 'UTC'],
    ['America/Argentina/Buenos_Aires', JAN, -10800, '-03'],
  ])('%s at %i', (name, at, offset, abbrev) => {
    const z = ianaZone(name)!;
    expect(z.offsetAt(at)).toBe(offset);
    expect(z.abbrevAt(at)).toBe(abbrev);
  });

  it('uses local mean time far back and clamps far ahead', () => {
    expect(ianaZone('Asia/Shanghai')!.offsetAt(-2208988800)).toBe(29143); // 1900: +08:05:43
    expect(ianaZone('Asia/Shanghai')!.offsetAt(-1e13)).toBe(29143);
    expect(ianaZone('Asia/Shanghai')!.offsetAt(1e13)).toBe(28800);
  });

  it('finds the DST transition exactly', () => {
    const z = ianaZone('America/New_York')!;
    const switchAt = 1615705200; // 2021-03-14T07:00:00Z
    expect(z.offsetAt(switchAt - 1)).toBe(-18000);
    expect(z.offsetAt(switchAt)).toBe(-14400);
  });

  it('looks abbreviations up as Go does', () => {
    const sh = ianaZone('Asia/Shanghai')!;
    expect(sh.offsetOfAbbrev('CST', JAN)).toBe(28800);
    expect(sh.offsetOfAbbrev('CDT', JAN)).toBe(32400);
    expect(sh.offsetOfAbbrev('EST', JAN)).toBeNull();
    const ny = ianaZone('America/New_York')!;
    expect(ny.offsetOfAbbrev('EST', JUL)).toBe(-18000);
    expect(ny.offsetOfAbbrev('EDT', JAN)).toBe(-14400);
    expect(ianaZone('Asia/Singapore')!.offsetOfAbbrev('+08', JAN)).toBe(28800);
    expect(UTC_ZONE.offsetOfAbbrev('UTC', JAN)).toBe(0);
    expect(UTC_ZONE.offsetOfAbbrev('CST', JAN)).toBeNull();
  });

  it.each([
    'asia/shanghai',
    'Nowhere/City',
    'CST',
    'PST',
    'IST',
    '+08:00',
    '-8',
    '',
    'Local',
    '/etc/localtime',
    'Asia/../Shanghai',
    'Asia/',
    'SystemV/AST4',
  ])('rejects %j, as Go LoadLocation does', (name) => {
    expect(ianaZone(name)).toBeNull();
  });

  it('treats an unknown local zone as UTC', () => {
    expect(localZoneOf('Nowhere/City')).toBe(UTC_ZONE);
    expect(localZoneOf('')).toBe(UTC_ZONE);
    expect(localZoneOf('Asia/Tokyo').offsetAt(JAN)).toBe(32400);
  });
});

describe('zone arguments', () => {
  function offset(r: ReturnType<typeof loadLocation>): number | string {
    return r.ok ? r.zone.offsetAt(JAN) : r.error;
  }

  it('loadLocation (datetime, default_time_with_fmt)', () => {
    expect(offset(loadLocation('', 'Asia/Tokyo'))).toBe(0);
    expect(offset(loadLocation('UTC', 'Asia/Tokyo'))).toBe(0);
    expect(offset(loadLocation('Local', 'Asia/Tokyo'))).toBe(32400);
    expect(offset(loadLocation('Asia/Shanghai', 'UTC'))).toBe(28800);
    expect(offset(loadLocation('+8', 'UTC'))).toBe('unknown time zone +8');
    expect(offset(loadLocation('CST', 'UTC'))).toBe('unknown time zone CST');
  });

  it('defaultTimeZone (default_time)', () => {
    expect(offset(defaultTimeZone('', 'Asia/Tokyo'))).toBe(32400);
    expect(offset(defaultTimeZone('+8', 'UTC'))).toBe(28800);
    expect(offset(defaultTimeZone('-5', 'UTC'))).toBe(-18000);
    expect(offset(defaultTimeZone('+5:45', 'UTC'))).toBe(20700);
    expect(offset(defaultTimeZone('+0', 'Asia/Tokyo'))).toBe(0);
    expect(offset(defaultTimeZone('+08', 'UTC'))).toBe('fail to parse timezone +08');
    expect(offset(defaultTimeZone('+15', 'UTC'))).toBe('fail to parse timezone +15');
    expect(offset(defaultTimeZone('CST', 'UTC'))).toBe('unknown time zone CST');
    expect(offset(defaultTimeZone('Asia/Tokyo', 'UTC'))).toBe(32400);
  });

  it('parseDateZone (parse_date)', () => {
    expect(offset(parseDateZone('', 'Asia/Tokyo'))).toBe(0);
    expect(offset(parseDateZone('CST', 'UTC'))).toBe(28800);
    expect(offset(parseDateZone('+9', 'UTC'))).toBe(32400);
    expect(offset(parseDateZone('Local', 'Asia/Tokyo'))).toBe(32400);
    expect(offset(parseDateZone('America/Chicago', 'UTC'))).toBe(-21600);
    expect(offset(parseDateZone('Mars/Base', 'UTC'))).toBe('unknown timezone Mars/Base');
  });
});
