/**
 * The layout guess behind default_time, on the date families it knows
 * (cases and results taken from the reference library's own tables, read
 * as UTC unless a zone is given) and on what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { toByteString } from '../../../../src/pipeline/funcs/time/bytes.js';
import { guessAndParse } from '../../../../src/pipeline/funcs/time/guess-layout.js';
import { ianaZone, UTC_ZONE } from '../../../../src/pipeline/funcs/time/zone.js';

function guessIso(text: string, zone = 'UTC'): string {
  const z = zone === 'UTC' ? UTC_ZONE : ianaZone(zone)!;
  const r = guessAndParse(toByteString(text), z);
  if (!r.ok) return `error: ${r.error}`;
  const ms = Number(r.ns / 1_000_000n);
  const frac = (r.ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, frac === '' ? 'Z' : `.${frac}Z`);
}

describe('guessAndParse: date families', () => {
  it.each([
    // month name first
    ['oct 7, 1970', '1970-10-07T00:00:00Z'],
    ["Oct 7, '70", '1970-10-07T00:00:00Z'],
    ['Oct. 7, 1970', '1970-10-07T00:00:00Z'],
    ['sept. 7, 1970', '1970-09-07T00:00:00Z'],
    ['May 8, 2009 5:57:51 PM', '2009-05-08T17:57:51Z'],
    ['May 8, 2009 5:7:1 AM', '2009-05-08T05:07:01Z'],
    ['May 8 2009 5:57:51 PM', '2009-05-08T17:57:51Z'],
    ['Jul 05, 2005, 05:05:05', '2005-07-05T05:05:05Z'],
    ['September 17, 2012', '2012-09-17T00:00:00Z'],
    ['September 17, 2012 at 5:00pm UTC-05', '2012-09-17T17:00:00Z'],
    ['April 8th, 2009', '2009-04-08T00:00:00Z'],
    ['June 2nd 2012', '2012-06-02T00:00:00Z'],
    // weekday first
    ['Mon Jan  2 15:04:05 2006', '2006-01-02T15:04:05Z'],
    ['Thu May 08 11:57:51 -0700 2009', '2009-05-08T18:57:51Z'],
    ['Mon Aug 10 15:44:11 CEST+0200 2015', '2015-08-10T13:44:11Z'],
    ['Fri Jul 03 2015 18:04:07 GMT+0100 (GMT Daylight Time)', '2015-07-03T17:04:07Z'],
    ['Fri, 03 Jul 2015 08:08:08 PST', '2015-07-03T08:08:08Z'],
    ['Tue, 11 Jul 2017 04:08:03 +0200 (CEST)', '2017-07-11T02:08:03Z'],
    ['Fri, 03-Jul-15 8:8:8 MST', '2015-07-03T08:08:08Z'],
    ['Wednesday, 2 Feb 2018 09:1:00 -0300', '2018-02-02T12:01:00Z'],
    ['Tue 05 May 2020, 05:05:05', '2020-05-05T05:05:05Z'],
    // day first
    ['7 oct 70', '1970-10-07T00:00:00Z'],
    ['7 September 1970', '1970-09-07T00:00:00Z'],
    ['07 Feb 2004, 9:7:7', '2004-02-07T09:07:07Z'],
    ['07 Feb 2004 09:07:08.123', '2004-02-07T09:07:08.123Z'],
    ['07-Feb-04 09:07:07 +0100', '2004-02-07T08:07:07Z'],
    ['2013-Feb-03', '2013-02-03T00:00:00Z'],
    ['2014年04月08日 19:17:22', '2014-04-08T19:17:22Z'],
    // numeric, month first when ambiguous
    ['3/5/2014', '2014-03-05T00:00:00Z'],
    ['8/8/71', '1971-08-08T00:00:00Z'],
    ['04/02/2014 4:8 PM', '2014-04-02T16:08:00Z'],
    ['04/02/2014 04:08:09.123123', '2014-04-02T04:08:09.123123Z'],
    ['2014/4/2 04:08:09 AM', '2014-04-02T04:08:09Z'],
    ['2014:04:02 04:08', '2014-04-02T04:08:00Z'],
    ['3.31.2014', '2014-03-31T00:00:00Z'],
    ['2014.05', '2014-05-01T00:00:00Z'],
    ['2018.09.30', '2018-09-30T00:00:00Z'],
    // ISO-like
    ['2014-04', '2014-04-01T00:00:00Z'],
    ['2014-4-2 04:08:09', '2014-04-02T04:08:09Z'],
    ['2014-05-11 08:20:13,787', '2014-05-11T08:20:13.787Z'],
    ['2012-08-03 8:1:59.257000000 +0000 UTC', '2012-08-03T08:01:59.257Z'],
    ['2018-06-29 19:09:57.77297118 +0300 +03', '2018-06-29T16:09:57.77297118Z'],
    ['2015-02-08 03:02:00.001 +0300 MSK m=+0.000000001', '2015-02-08T00:02:00.001Z'],
    ['2009-08-12T22:15:9-07:00', '2009-08-13T05:15:09Z'],
    ['2016-06-21T19:55+0130', '2016-06-21T18:25:00Z'],
    ['2009-08-12T22:15Z', '2009-08-12T22:15:00Z'],
    ['2009-08-12T22:15:9.99999999Z', '2009-08-12T22:15:09.99999999Z'],
    // digits
    ['2014', '2014-01-01T00:00:00Z'],
    ['20140601', '2014-06-01T00:00:00Z'],
    ['20140722105203', '2014-07-22T10:52:03Z'],
    ['1332151919', '2012-03-19T10:11:59Z'],
    ['1384216367111', '2013-11-12T00:32:47.111Z'],
    ['1384216367111222', '2013-11-12T00:32:47.111222Z'],
    ['1384216367111222333', '2013-11-12T00:32:47.111222333Z'],
  ])('%s', (text, want) => {
    expect(guessIso(text)).toBe(want);
  });
});

describe('guessAndParse: zones', () => {
  it.each([
    // No zone in the text: wall time in the location.
    ['2013-02-01 00:00:00', 'America/Denver', '2013-02-01T07:00:00Z'],
    ['2013-04-01 00:00:00', 'America/Denver', '2013-04-01T06:00:00Z'],
    ['18 January 2018', 'America/Denver', '2018-01-18T07:00:00Z'],
    ['1332151919', 'America/Denver', '2012-03-19T10:11:59Z'],
    // An abbreviation the location knows is its offset; one it does not is +00:00.
    ['Mon Jan  2 15:04:05 MST 2006', 'America/Denver', '2006-01-02T22:04:05Z'],
    ['Thu May  8 17:57:51 PST 2009', 'UTC', '2009-05-08T17:57:51Z'],
    ['Tue Dec  2 11:55:34 CST 2021', 'Asia/Shanghai', '2021-12-02T03:55:34Z'],
    ['Tue Dec  2 11:55:34 CST 2021', 'America/Chicago', '2021-12-02T17:55:34Z'],
    ['2015-02-08 03:02:00 +0200 CEST', 'Europe/Berlin', '2015-02-08T01:02:00Z'],
    // A zone name closing the text stays literal: read in the location (DataKit depends on this).
    ['2021-12-02 11:55:43 UTC', 'Asia/Shanghai', '2021-12-02T03:55:43Z'],
    ['2021-12-02 11:55:43 GMT', 'Asia/Shanghai', '2021-12-02T03:55:43Z'],
    ['Tuesday, 02-Dec-21 11:55:34 CST', 'Asia/Shanghai', '2021-12-02T03:55:34Z'],
    // A Z after whole seconds is UTC; after a fraction it is literal and the location applies.
    ['2021-12-02T11:55:43Z', 'Asia/Shanghai', '2021-12-02T11:55:43Z'],
    ['2017-12-29T12:33:33.095243Z', 'Asia/Shanghai', '2017-12-29T04:33:33.095243Z'],
    // An explicit offset wins.
    ['2021-12-02 11:55:43 +0900 UTC', 'Asia/Shanghai', '2021-12-02T02:55:43Z'],
  ])('%s in %s', (text, zone, want) => {
    expect(guessIso(text, zone)).toBe(want);
  });
});

describe('guessAndParse: failures', () => {
  it.each([
    ['', 'Could not find format for ""'],
    ['3', 'unrecognized format, too short 3'],
    ['now', 'Could not find format for "now"'],
    ['INVALID', 'Could not find format for "INVALID"'],
    ['{"hello"}', 'Could not find format for "{\\"hello\\"}"'],
    ['5,000-9,999', 'Could not find format for "5,000-9,999"'],
    ['oct.-7-1970', 'Could not find format for "oct.-7-1970"'],
    ['septe. 7, 1970', 'Could not find format for "septe. 7, 1970"'],
    ['29-06-2016', 'Could not find format for "29-06-2016"'],
    [' 2018-01-02 17:08:09 -07:00', 'Could not find format for " 2018-01-02 17:08:09 -07:00"'],
    ['138421636711122233311111', 'Could not find format for "138421636711122233311111"'],
    ['9999999999999999999', 'Could not find format for "9999999999999999999"'],
    ['-1314', 'Could not find format for "-1314"'],
    ['Tuesday Dec 2 2021', 'Could not find format for "Tuesday Dec 2 2021"'],
    ['2009-15-12T22:15Z', 'parsing time "2009-15-12T22:15Z": month out of range'],
    ['2014-13-13 08:20:13,787', 'parsing time "2014-13-13 08:20:13.787": month out of range'],
    ['2021-02-30', 'parsing time "2021-02-30": day out of range'],
    ['2021-12-02 25:00:00', 'parsing time "2021-12-02 25:00:00": hour out of range'],
    [
      '2021年12月2日',
      'parsing time "2021\\xe5\\xb9\\xb412\\xe6\\x9c\\x882\\xe6\\x97\\xa5" as "2006\\xe5\\xb9\\xb401\\xe6\\x9c\\x8802\\xe6\\x97\\xa5": cannot parse "2\\xe6\\x97\\xa5" as "02"',
    ],
  ])('%j', (text, error) => {
    expect(guessIso(text)).toBe(`error: ${error}`);
  });
});
