/**
 * Go reference layouts both ways: time.ParseInLocation's leniencies and
 * exact error messages, and Time.Format of the named layouts.
 */
import { describe, expect, it } from 'vitest';
import { toByteString } from '../../../../src/pipeline/funcs/time/bytes.js';
import { splitUnixNano, toUnixNano } from '../../../../src/pipeline/funcs/time/civil.js';
import { formatLayout, NAMED_LAYOUTS } from '../../../../src/pipeline/funcs/time/go-layout-format.js';
import { failureText, parseInLocation } from '../../../../src/pipeline/funcs/time/go-layout-parse.js';
import { wallClock } from '../../../../src/pipeline/funcs/time/wall-clock.js';
import { ianaZone, UTC_ZONE } from '../../../../src/pipeline/funcs/time/zone.js';

function zone(name: string) {
  return name === 'UTC' ? UTC_ZONE : ianaZone(name)!;
}

function parse(layout: string, value: string, loc = 'UTC'): string {
  const r = parseInLocation(toByteString(layout), toByteString(value), zone(loc));
  return r.ok ? toUnixNano(r.sec, r.nsec).toString() : `error: ${failureText(r.failure)}`;
}

describe('parseInLocation', () => {
  it.each([
    ['02/Jan/2006:15:04:05 -0700', '02/Dec/2021:11:55:34 +0800', 'UTC', '1638417334000000000'],
    ['02/Jan/2006:15:04:05', '02/Dec/2021:11:55:34', 'Asia/Shanghai', '1638417334000000000'],
    ['02/Jan/2006:15:04:05', '02/Dec/2021:12:55:34', 'Asia/Tokyo', '1638417334000000000'],
    // layout spaces match any run of spaces; `2` takes one or two digits; `_2` a padded day
    ['Jan 2 15:04:05 2006', 'Dec    2 11:55:34 2021', 'UTC', '1638446134000000000'],
    ['Jan _2 15:04:05 2006', 'Dec  2 11:55:34 2021', 'UTC', '1638446134000000000'],
    // names are case-insensitive; the weekday is only checked for being a weekday
    ['Mon, 02 Jan 2006', 'sun, 02 DEC 2021', 'UTC', '1638403200000000000'],
    ['Monday January 2 2006', 'Friday December 2 2021', 'UTC', '1638403200000000000'],
    // fraction in the text but not in the layout
    ['2006-01-02 15:04:05', '2021-12-02 11:55:43.123456789', 'UTC', '1638446143123456789'],
    ['2006-01-02 15:04:05', '2021-12-02 11:55:43,5', 'UTC', '1638446143500000000'],
    // .000 needs exactly that many digits, .999 takes any
    ['2006-01-02 15:04:05.000', '2021-12-02 11:55:43.120', 'UTC', '1638446143120000000'],
    ['2006-01-02 15:04:05.999', '2021-12-02 11:55:43', 'UTC', '1638446143000000000'],
    ['2006-01-02 15:04:05.9', '2021-12-02 11:55:43.123456', 'UTC', '1638446143123456000'],
    // 12-hour clock
    ['2006-01-02 3:04PM', '2021-12-02 12:30AM', 'UTC', '1638405000000000000'],
    ['2006-01-02 3:04pm', '2021-12-02 12:30pm', 'UTC', '1638448200000000000'],
    // day of year
    ['2006 002', '2020 060', 'UTC', '1582934400000000000'],
    ['2006 __2', '2021  32', 'UTC', '1612137600000000000'],
    // offsets and zone names
    ['2006-01-02T15:04:05Z07:00', '2021-12-02T11:55:43Z', 'Asia/Shanghai', '1638446143000000000'],
    ['2006-01-02T15:04:05Z07:00', '2021-12-02T11:55:43+08:00', 'UTC', '1638417343000000000'],
    ['2006-01-02 15:04:05 -07', '2021-12-02 11:55:43 -05', 'UTC', '1638464143000000000'],
    ['2006-01-02 15:04:05 -07:00:00', '2021-12-02 11:55:43 +05:30:15', 'UTC', '1638426328000000000'],
    ['2006-01-02 15:04:05 MST', '2021-12-02 11:55:43 CST', 'Asia/Shanghai', '1638417343000000000'],
    ['2006-01-02 15:04:05 MST', '2021-12-02 11:55:43 CST', 'America/Chicago', '1638467743000000000'],
    ['2006-01-02 15:04:05 MST', '2021-07-02 11:55:43 EST', 'America/New_York', '1625244943000000000'],
    ['2006-01-02 15:04:05 MST', '2021-12-02 11:55:43 XYZ', 'Asia/Shanghai', '1638446143000000000'],
    ['2006-01-02 15:04:05 MST', '2021-12-02 11:55:43 GMT+3', 'UTC', '1638435343000000000'],
    ['2006-01-02 15:04:05 MST', '2021-12-02 11:55:43 UTC', 'Asia/Shanghai', '1638446143000000000'],
    [
      '2006-01-02 15:04:05 -0700 MST',
      '2021-12-02 11:55:43 +0900 CST',
      'Asia/Shanghai',
      '1638413743000000000',
    ],
    // literal digits in a layout are elements (here `1` is a month)
    ['2006-1-2', '2021-12-2', 'UTC', '1638403200000000000'],
    // a nonexistent local time (spring-forward gap) lands where Go's two-step offset lookup puts it
    ['2006-01-02 15:04', '2021-03-14 02:30', 'America/New_York', '1615703400000000000'],
    // missing fields default to January 1st of year 0, whose nanoseconds wrap around int64 as in Go
    ['15:04', '11:55', 'UTC', BigInt.asIntN(64, -62167176300000000000n).toString()],
    ['2006年01月02日', '2021年12月02日', 'UTC', '1638403200000000000'],
  ])('%s <- %s in %s', (layout, value, loc, want) => {
    expect(parse(layout, value, loc)).toBe(want);
  });

  it.each([
    ['2006-01-02', '2021-12-2', 'parsing time "2021-12-2" as "2006-01-02": cannot parse "2" as "02"'],
    ['2006-01-02', '2021/12/02', 'parsing time "2021/12/02" as "2006-01-02": cannot parse "/12/02" as "-"'],
    ['2006-01-02', '2021-12-02 x', 'parsing time "2021-12-02 x": extra text: " x"'],
    ['2006-01-02', '2021-13-02', 'parsing time "2021-13-02": month out of range'],
    ['2006-01-02', '2021-02-29', 'parsing time "2021-02-29": day out of range'],
    ['15:04:05', '24:00:00', 'parsing time "24:00:00": hour out of range'],
    ['15:04:05', '23:60:00', 'parsing time "23:60:00": minute out of range'],
    ['15:04:05', '23:59:60', 'parsing time "23:59:60": second out of range'],
    ['3:04PM', '13:04PM', 'parsing time "13:04PM": hour out of range'],
    ['3:04PM', '1:04XM', 'parsing time "1:04XM" as "3:04PM": cannot parse "XM" as "PM"'],
    ['Jan 2006', 'Foo 2021', 'parsing time "Foo 2021" as "Jan 2006": cannot parse "Foo 2021" as "Jan"'],
    ['2006 MST', '2021 cst', 'parsing time "2021 cst" as "2006 MST": cannot parse "cst" as "MST"'],
    ['-0700', '+2500', 'parsing time "+2500": time zone offset hour out of range'],
    ['-0700', '*0800', 'parsing time "*0800" as "-0700": cannot parse "*0800" as "-0700"'],
    [
      '15:04:05.000',
      '11:55:43.12',
      'parsing time "11:55:43.12" as "15:04:05.000": cannot parse ".12" as ".000"',
    ],
    ['2006 002', '2021 366', 'parsing time "2021 366": day-of-year out of range'],
    ['2006-01 002', '2021-02 001', 'parsing time "2021-02 001": day-of-year does not match month'],
    ['2006', 'x\u00e9', 'parsing time "x\\xc3\\xa9" as "2006": cannot parse "x\\xc3\\xa9" as "2006"'],
  ])('%s <- %j fails', (layout, value, error) => {
    expect(parse(layout, value)).toBe(`error: ${error}`);
  });
});

describe('formatLayout', () => {
  // 2021-01-18T09:03:25.001Z
  const ns = 1610960605001000000n;
  function fmt(layout: string, loc: string, at = ns): string {
    const p = [0, 0];
    splitUnixNano(at, p);
    return formatLayout(layout, wallClock(p[0], p[1], zone(loc)));
  }

  it.each([
    ['ANSIC', 'Asia/Shanghai', 'Mon Jan 18 17:03:25 2021'],
    ['UnixDate', 'Asia/Shanghai', 'Mon Jan 18 17:03:25 CST 2021'],
    ['UnixDate', 'America/New_York', 'Mon Jan 18 04:03:25 EST 2021'],
    ['UnixDate', 'UTC', 'Mon Jan 18 09:03:25 UTC 2021'],
    ['UnixDate', 'Asia/Singapore', 'Mon Jan 18 17:03:25 +08 2021'],
    ['UnixDate', 'Asia/Kolkata', 'Mon Jan 18 14:33:25 IST 2021'],
    ['RubyDate', 'America/New_York', 'Mon Jan 18 04:03:25 -0500 2021'],
    ['RFC822', 'Asia/Tokyo', '18 Jan 21 18:03 JST'],
    ['RFC822Z', 'Asia/Kathmandu', '18 Jan 21 14:48 +0545'],
    ['RFC850', 'Europe/London', 'Monday, 18-Jan-21 09:03:25 GMT'],
    ['RFC1123', 'Europe/Berlin', 'Mon, 18 Jan 2021 10:03:25 CET'],
    ['RFC1123Z', 'America/St_Johns', 'Mon, 18 Jan 2021 05:33:25 -0330'],
    ['RFC3339', 'UTC', '2021-01-18T09:03:25Z'],
    ['RFC3339', 'Asia/Shanghai', '2021-01-18T17:03:25+08:00'],
    ['RFC3339Nano', 'UTC', '2021-01-18T09:03:25.001Z'],
    ['Kitchen', 'UTC', '9:03AM'],
    ['Stamp', 'UTC', 'Jan 18 09:03:25'],
    ['StampMilli', 'UTC', 'Jan 18 09:03:25.001'],
    ['StampMicro', 'UTC', 'Jan 18 09:03:25.001000'],
    ['StampNano', 'UTC', 'Jan 18 09:03:25.001000000'],
  ])('%s in %s', (name, loc, want) => {
    expect(fmt(NAMED_LAYOUTS[name], loc)).toBe(want);
  });

  it('prints daylight-saving abbreviations and offsets in summer', () => {
    const july = 1625216605000000000n; // 2021-07-02T09:03:25Z
    expect(fmt(NAMED_LAYOUTS.UnixDate, 'America/New_York', july)).toBe('Fri Jul  2 05:03:25 EDT 2021');
    expect(fmt(NAMED_LAYOUTS.RFC1123, 'Europe/London', july)).toBe('Fri, 02 Jul 2021 10:03:25 BST');
    expect(fmt(NAMED_LAYOUTS.RFC3339, 'Australia/Sydney', july)).toBe('2021-07-02T19:03:25+10:00');
    expect(fmt(NAMED_LAYOUTS.UnixDate, 'Australia/Sydney', ns)).toBe('Mon Jan 18 20:03:25 AEDT 2021');
  });

  it('formats the other elements as Go does', () => {
    expect(fmt('2006-1-2 3:4:5 pm .000 ,999999 002 __2 _2 -07 -07:00:00 Z0700', 'America/New_York')).toBe(
      '2021-1-18 4:3:25 am .001 ,001 018  18 18 -05 -05:00:00 -0500',
    );
    expect(fmt('06 Z07:00', 'UTC', 0n)).toBe('70 Z');
  });
});
