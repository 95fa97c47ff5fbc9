/** strftime formatting as DataKit's datetime does it (itchyny/timefmt-go semantics). */
import { describe, expect, it } from 'vitest';
import { splitUnixNano } from '../../../../src/pipeline/funcs/time/civil.js';
import { strftime } from '../../../../src/pipeline/funcs/time/strftime.js';
import { wallClock } from '../../../../src/pipeline/funcs/time/wall-clock.js';
import { ianaZone, UTC_ZONE } from '../../../../src/pipeline/funcs/time/zone.js';

function fmt(format: string, ns = 1610960605001002003n, zone = 'Asia/Shanghai'): string {
  const p = [0, 0];
  splitUnixNano(ns, p);
  return strftime(wallClock(p[0], p[1], zone === 'UTC' ? UTC_ZONE : ianaZone(zone)!), format);
}

describe('strftime directives (2021-01-18 17:03:25.001002003 +08:00, a Monday)', () => {
  it.each([
    ['%Y', '2021'],
    ['%y', '21'],
    ['%C', '20'],
    ['%G %g %V', '2021 21 03'],
    ['%m', '01'],
    ['%B %b %h', 'January Jan Jan'],
    ['%A %a', 'Monday Mon'],
    ['%u %w', '1 1'],
    ['%U %W', '03 03'],
    ['%d|%e|%j', '18|18|018'],
    ['%H|%k|%I|%l', '17|17|05| 5'],
    ['%p %P', 'PM pm'],
    ['%M:%S', '03:25'],
    ['%s', '1610960605'],
    ['%f', '001002'],
    ['%Z %z', 'CST +0800'],
    ['%:z %::z %:::z', '+08:00 +08:00:00 +08'],
    ['%c', 'Mon Jan 18 17:03:25 2021'],
    ['%+', 'Mon Jan 18 17:03:25 CST 2021'],
    ['%F %D %x', '2021-01-18 01/18/21 01/18/21'],
    ['%v', '18-Jan-2021'],
    ['%T %X %R', '17:03:25 17:03:25 17:03'],
    ['%r', '05:03:25 PM'],
    ['a%tb%nc%%d', 'a\tb\nc%d'],
    ['%Y-%m-%d %H:%M:%S', '2021-01-18 17:03:25'],
    ['%m/%d/%y  %H:%M:%S %z', '01/18/21  17:03:25 +0800'],
  ])('%j', (format, want) => {
    expect(fmt(format)).toBe(want);
  });
});

describe('strftime flags and widths', () => {
  it.each([
    ['%-m/%-d', '1/18'],
    ['%_m', ' 1'],
    ['%5Y', '02021'],
    ['%-5Y', ' 2021'],
    ['%_3d', ' 18'],
    ['%03e', '018'],
    ['%^a %^B', 'MON JANUARY'],
    ['%#b %#p', 'JAN pm'],
    ['%^c', 'MON JAN 18 17:03:25 2021'],
    // a width after '-' pads with spaces again
    ['%10A|%010A|%-10A', '    Monday|0000Monday|    Monday'],
    ['%3f', '1002'],
    ['%6z|%_6z|%-z', '+00800|  +800|+800'],
    ['%12s', '  1610960605'],
  ])('%j', (format, want) => {
    expect(fmt(format)).toBe(want);
  });

  it('prints unknown or unfinished directives as written', () => {
    expect(fmt('%Q')).toBe('%Q');
    expect(fmt('%5Q')).toBe('  %5Q');
    expect(fmt('x%')).toBe('x%');
    expect(fmt('x%-')).toBe('x%-');
    expect(fmt('%:x')).toBe('%:x');
    expect(fmt('%::::z')).toBe('%::::z');
    expect(fmt('%E')).toBe('%E');
    expect(fmt('100%')).toBe('100%');
    expect(fmt('日%Y年')).toBe('日2021年');
  });
});

describe('strftime edge times', () => {
  // 2021-01-03T00:05:09Z, a Sunday, at midnight UTC
  const midnight = 1609632309000000000n;

  it('keeps the library quirks at midnight and on Sundays', () => {
    expect(fmt('%I|%l|%k|%p', midnight, 'UTC')).toBe('12| 0| 0|AM');
    expect(fmt('%u %w %U %W %V %G', midnight, 'UTC')).toBe('7 0 01 00 53 2020');
    expect(fmt('%e|%-e|%j', midnight, 'UTC')).toBe(' 3|3|003');
  });

  it('prints negative and fractional-hour offsets', () => {
    expect(fmt('%z %:z %:::z %Z', 1610960605000000000n, 'America/St_Johns')).toBe('-0330 -03:30 -03:30 NST');
    expect(fmt('%z %Z', 1610960605000000000n, 'America/Sao_Paulo')).toBe('-0300 -03');
    expect(fmt('%z %Z', 1610960605000000000n, 'UTC')).toBe('+0000 UTC');
  });
});
