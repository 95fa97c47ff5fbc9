/** parse_date: parts to a timestamp, defaults from the local clock, errors per argument. */
import { describe, expect, it } from 'vitest';
import {
  type DateParts,
  makeTimeContext,
  parseDateParts,
} from '../../../../src/pipeline/funcs/time/index.js';

// Now: 2026-11-26T10:47:21.5Z (18:47:21 in Asia/Shanghai).
const NOW = 1795690041500000000n;
const utc = makeTimeContext('UTC', () => NOW);
const shanghai = makeTimeContext('Asia/Shanghai', () => NOW);

function iso(parts: DateParts, ctx = utc): string {
  const r = parseDateParts(parts, ctx);
  if (!r.ok) return `${r.arg}: ${r.error}`;
  const frac = (((r.ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(r.ns / 1_000_000n)).toISOString().slice(0, 19)}.${frac}Z`;
}

describe('parseDateParts', () => {
  it.each<[DateParts, string]>([
    [{ yy: '2021', MM: '12', dd: '2', hh: '11', mm: '55', ss: '43' }, '2021-12-02T11:55:43.000000000Z'],
    [
      { yy: '2021', MM: 'Dec', dd: '2', hh: '11', mm: '55', ss: '43', zone: '+8' },
      '2021-12-02T03:55:43.000000000Z',
    ],
    [
      { yy: '2021', MM: 'december', dd: '02', hh: '11', mm: '55', zone: 'Asia/Tokyo' },
      '2021-12-02T02:55:00.000000000Z',
    ],
    [
      { yy: '21', MM: 'sep', dd: '6', hh: '16', mm: '40', ss: '03', zone: 'CST' },
      '2021-09-06T08:40:03.000000000Z',
    ],
    [{ yy: '0', MM: '1', dd: '1', hh: '0', mm: '0' }, '2000-01-01T00:00:00.000000000Z'],
    [
      { yy: '1999', MM: '1', dd: '1', hh: '0', mm: '0', ms: '290', us: '290290', ns: '330' },
      '1999-01-01T00:00:00.580290330Z',
    ],
    // fractions carry into seconds and may be negative
    [{ yy: '1999', MM: '1', dd: '1', hh: '0', mm: '0', ms: '1500' }, '1999-01-01T00:00:01.500000000Z'],
    [{ yy: '1999', MM: '1', dd: '1', hh: '0', mm: '0', ss: '1', ns: '-1' }, '1999-01-01T00:00:00.999999999Z'],
    // Feb 31 rolls over as Go's time.Date does
    [{ yy: '2021', MM: '2', dd: '31', hh: '0', mm: '0' }, '2021-03-03T00:00:00.000000000Z'],
    // missing year/month/day/hour/minute come from now, seconds and fractions are 0
    [{ hh: '16', mm: '40' }, '2026-11-26T16:40:00.000000000Z'],
    [{ ss: '5' }, '2026-11-26T10:47:05.000000000Z'],
    [{}, '2026-11-26T10:47:00.000000000Z'],
    // parts that are not base-10 integers count as missing
    [{ yy: 'x', MM: '12', dd: 'y', hh: '1', mm: '2' }, '2026-12-26T01:02:00.000000000Z'],
    [{ yy: '2021', MM: '1', dd: '1', hh: '0', mm: '0', ss: '0x10' }, '2021-01-01T00:00:00.000000000Z'],
    [{ yy: '3735928559', MM: '1', dd: '1', hh: '0', mm: '0' }, '2026-01-01T00:00:00.000000000Z'],
  ])('%j', (parts, want) => {
    expect(iso(parts)).toBe(want);
  });

  it('takes defaults from the local wall clock, and the zone separately', () => {
    // Local Shanghai: today is 2026-11-26 18:47; the parts are read in UTC.
    expect(iso({ ss: '0' }, shanghai)).toBe('2026-11-26T18:47:00.000000000Z');
    expect(iso({ hh: '1', mm: '0', zone: 'Local' }, shanghai)).toBe('2026-11-25T17:00:00.000000000Z');
    expect(iso({ yy: '9' }, shanghai)).toBe('2009-11-26T18:47:00.000000000Z');
  });

  it.each<[DateParts, string]>([
    [{ yy: '-1' }, 'yy: year should larger than 0'],
    [{ MM: '13' }, 'MM: month should between [1,12], got 3133,'],
    [{ MM: '0' }, 'MM: month should between [1,12], got 30,'],
    [{ MM: 'Foo' }, 'MM: unknown month Foo'],
    [{ dd: '32' }, 'dd: month day should between [1,31], got 32'],
    [{ dd: '0' }, 'dd: month day should between [1,31], got 0'],
    [{ hh: '25' }, 'hh: hour should between [0,24], got 25'],
    [{ hh: '-2' }, 'hh: hour should between [0,24], got -2'],
    [{ mm: '60' }, 'mm: minute should between [0,59], got 60'],
    [{ ss: '61' }, 'ss: second should between [0,59], got 61'],
    [{ ss: '-1' }, 'ss: second should between [0,59], got -1'],
    [{ zone: 'Mars/Base' }, 'zone: unknown timezone Mars/Base'],
  ])('%j fails', (parts, error) => {
    expect(iso(parts)).toBe(error);
  });
});
