/**
 * parse_duration, duration_precision, datetime, adjust_timezone, timestamp
 * and parse_date as script calls, with a pinned clock and local zone.
 */
import { describe, expect, it } from 'vitest';
import type { TypedValue } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';
import { clockAt, compileError, run } from './script-harness.js';

// 2026-11-26T10:47:40.123456789Z
const NOW = 1_795_690_060_123_456_789n;
const clock = clockAt(NOW);

type Row = [src: string, fields: [string, FieldValue][], want: Record<string, TypedValue>];

function table(rows: Row[], tz = 'UTC'): void {
  for (const [src, fields, want] of rows) {
    it(JSON.stringify(src), () => {
      const r = run(src, fields, { services: clock, tz });
      expect(r.error).toBeUndefined();
      expect(r.fields).toEqual(want);
    });
  }
}

describe('parse_duration', () => {
  table([
    ['parse_duration(d)', [['d', '1h15m30.5s']], { d: { i: '4530500000000' } }],
    ['parse_duration(d)', [['d', '-2.3s']], { d: { i: '-2300000000' } }],
    ['parse_duration(d)', [['d', '1µs']], { d: { i: '1000' } }],
    ['parse_duration(d)', [['d', '1uuus']], { d: { s: '1uuus' } }],
    ['parse_duration(d)', [['d', 1.5]], { d: { f: 1.5 } }],
    ['parse_duration(d)', [], {}],
  ]);
});

describe('duration_precision', () => {
  table([
    ['duration_precision(t, "ms", "ns")', [['t', 12345n]], { t: { i: '12345000000' } }],
    ['duration_precision(t, "NS", "us")', [['t', 12345678n]], { t: { i: '12345' } }],
    ['duration_precision(t, "s", "s")', [['t', 7n]], { t: { i: '7' } }],
    ['duration_precision(t, "ms", "minutes")', [['t', 7n]], { t: { i: '7' } }],
  ]);

  it.each([
    ['duration_precision(t, "ms", "ns")', [['t', '12']], /expect int/],
    ['duration_precision(t, "ms", "ns")', [], /not found/],
    ['duration_precision(t, "ms")', [['t', 1n]], /expected 3 args/],
    ['duration_precision(t, ms, "ns")', [['t', 1n]], /StringLiteral/],
  ] as [string, [string, FieldValue][], RegExp][])('run error %s', (src, fields, re) => {
    expect(run(src, fields).error).toMatch(re);
  });
});

describe('datetime', () => {
  table(
    [
      ['datetime(t, "s", "RFC3339")', [['t', '1610960605']], { t: { s: '2021-01-18T17:03:25+08:00' } }],
      [
        'datetime(t, "ms", "%Y-%m-%d %H:%M:%S")',
        [['t', 1610960605000n]],
        { t: { s: '2021-01-18 17:03:25' } },
      ],
      ['datetime(t, "s", "%H:%M", "UTC")', [['t', 1610960605n]], { t: { s: '09:03' } }],
      ['datetime(t, "s", "Kitchen")', [], {}],
    ],
    'Asia/Shanghai',
  );

  it('fails the run for an unknown zone', () => {
    expect(run('datetime(t, "s", "%Y", "Mars/Base")', [['t', 1n]]).error).toBeDefined();
  });

  it.each([
    ['datetime(t, s, "%Y")', /param `precision` expect StringLiteral/],
    ['datetime(t, "s", f)', /param `fmt` expect StringLiteral/],
    ['datetime(t, "s", "%Y", z)', /param `tz` expect StringLiteral/],
    ['datetime(t, "s")', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('timestamp', () => {
  table([
    ['add_key(a, timestamp())', [], { a: { i: NOW.toString() } }],
    ['add_key(a, timestamp("ns"))', [], { a: { i: NOW.toString() } }],
    ['add_key(a, timestamp("us"))', [], { a: { i: (NOW / 1000n).toString() } }],
    ['add_key(a, timestamp("ms"))', [], { a: { i: (NOW / 1_000_000n).toString() } }],
    ['add_key(a, timestamp(precision="s"))', [], { a: { i: (NOW / 1_000_000_000n).toString() } }],
    ['add_key(a, timestamp(1))', [], { a: { i: NOW.toString() } }],
  ]);
});

describe('adjust_timezone', () => {
  const eightHoursAgo = NOW - 8n * 3_600_000_000_000n;
  table([
    ['adjust_timezone(t)', [['t', eightHoursAgo]], { t: { i: NOW.toString() } }],
    ['adjust_timezone(t)', [], {}],
  ]);

  it('fails the run for a non-int value', () => {
    expect(run('adjust_timezone(t)', [['t', 'x']], { services: clock }).error).toMatch(/expect int64/);
  });

  it('takes exactly one argument', () => {
    expect(compileError('adjust_timezone(t, 5)')).toMatch(/too many parameters/);
  });
});

describe('parse_date', () => {
  it.each([
    [
      'parse_date(key="time", yy="2020", MM="12", dd="12", hh="16", mm="40", ss="03", ms="290", zone="+8")',
      1607762403290000000n,
    ],
    [
      'y = "2021"\nparse_date("time", y, "Sep", "6", "16", "40", "03", "", "", "", "CST")',
      1630917603000000000n,
    ],
    // missing date parts come from now (2026-11-26 in the pinned clock), in the given zone
    ['parse_date("time", "", "", "", "16", "40", "03", "290", "", "", "+8")', 1795682403290000000n],
  ])('%s', (src, want) => {
    const r = run(src, [], { services: clock });
    expect(r.error).toBeUndefined();
    expect(r.pt.time).toBe(want);
  });

  it.each([
    ['parse_date("t", "2020", "13")', 'MM'],
    ['parse_date("t", "2020", "Foo")', 'MM'],
    ['parse_date("t", "2020", "1", "32")', 'dd'],
    ['parse_date()', 'key'],
  ])('run error %s', (src) => {
    expect(run(src, [], { services: clock }).error).toBeDefined();
  });
});
