/** datetime's input cast and formatting, default_time_with_fmt's layout parse. */
import { describe, expect, it } from 'vitest';
import {
  castToInt64,
  datetimeInputNs,
  formatDatetime,
  goFormatFloat,
  makeTimeContext,
  parseWithLayout,
} from '../../../../src/pipeline/funcs/time/index.js';
import { type FieldValue, UInt } from '../../../../src/point/index.js';

const ctx = makeTimeContext('Asia/Shanghai', () => 0n);

describe('castToInt64 (spf13/cast)', () => {
  it.each<[FieldValue | undefined, bigint]>([
    [1638253518n, 1638253518n],
    ['1638253518', 1638253518n],
    ['1638253518.000', 1638253518n],
    ['1638253518.5', 0n],
    [' 12', 0n],
    ['0x10', 16n],
    ['0o17', 15n],
    ['0b101', 5n],
    ['017', 15n],
    ['08', 0n],
    ['1_000', 1000n],
    ['_1000', 0n],
    ['-42', -42n],
    ['9223372036854775808', 0n],
    ['abc', 0n],
    ['', 0n],
    [1.610960605e18, 1610960605000000000n],
    [-2.9, -2n],
    [Number.NaN, -(2n ** 63n)],
    [1e19, -(2n ** 63n)],
    [true, 1n],
    [false, 0n],
    [null, 0n],
    [undefined, 0n],
    [new UInt(2n ** 64n - 1n), -1n],
    [new Uint8Array([49]), 0n],
    [[1n, 2n], 0n],
  ])('%s', (v, want) => {
    expect(castToInt64(v)).toBe(want);
  });
});

describe('datetimeInputNs', () => {
  it('scales s, ms and us, anything else is ns, with int64 wrap-around', () => {
    expect(datetimeInputNs('1638253518', 's')).toBe(1638253518000000000n);
    expect(datetimeInputNs(1638253518999n, 'ms')).toBe(1638253518999000000n);
    expect(datetimeInputNs(1610960605000000n, 'us')).toBe(1610960605000000000n);
    expect(datetimeInputNs(5n, 'ns')).toBe(5n);
    expect(datetimeInputNs(5n, 'S')).toBe(5n);
    expect(datetimeInputNs(9223372036854775807n, 's')).toBe(
      BigInt.asIntN(64, 9223372036854775807n * 1_000_000_000n),
    );
  });
});

describe('formatDatetime', () => {
  it('uses the local zone by default and a tz name when given', () => {
    expect(formatDatetime(1610960605001000000n, '%Y-%m-%d %H:%M:%S', '', ctx)).toEqual({
      ok: true,
      text: '2021-01-18 17:03:25',
    });
    expect(formatDatetime(1610960605001000000n, '%H:%M %Z', 'Asia/Tokyo', ctx)).toEqual({
      ok: true,
      text: '18:03 JST',
    });
    expect(formatDatetime(1610960605001000000n, 'RFC3339Nano', 'UTC', ctx)).toEqual({
      ok: true,
      text: '2021-01-18T09:03:25.001Z',
    });
    expect(formatDatetime(1610960605001000000n, 'Local', 'Local', ctx)).toEqual({ ok: true, text: 'Local' });
  });

  it('only knows named layouts by their exact name', () => {
    expect(formatDatetime(0n, 'rfc3339', 'UTC', ctx)).toEqual({ ok: true, text: 'rfc3339' });
    expect(formatDatetime(0n, 'Kitchen', 'UTC', ctx)).toEqual({ ok: true, text: '12:00AM' });
  });

  it('formats instants before 1970 and negative nanoseconds', () => {
    expect(formatDatetime(-1n, 'RFC3339Nano', 'UTC', ctx)).toEqual({
      ok: true,
      text: '1969-12-31T23:59:59.999999999Z',
    });
    expect(formatDatetime(-(2n ** 63n), '%Y-%m-%d', 'UTC', ctx)).toEqual({ ok: true, text: '1677-09-21' });
  });

  it('fails on an unknown zone', () => {
    expect(formatDatetime(0n, '%Y', 'Mars/Base', ctx)).toEqual({
      ok: false,
      error: 'unknown time zone Mars/Base',
    });
    expect(formatDatetime(0n, '%Y', '+8', ctx)).toEqual({ ok: false, error: 'unknown time zone +8' });
  });
});

describe('parseWithLayout', () => {
  it('reads in the given or local zone', () => {
    expect(parseWithLayout('02/Dec/2021:11:55:34', '02/Jan/2006:15:04:05', '', ctx)).toEqual({
      ok: true,
      ns: 1638417334000000000n,
    });
    expect(parseWithLayout('2021-07-20T12:33:33.095243Z', '2006-01-02T15:04:05.000000Z', 'UTC', ctx)).toEqual(
      {
        ok: true,
        ns: 1626784413095243000n,
      },
    );
  });

  it('fails with Go messages', () => {
    expect(parseWithLayout('02/Dec/2021', '02/Jan/2006:15:04:05', '', ctx)).toEqual({
      ok: false,
      error: 'parsing time "02/Dec/2021" as "02/Jan/2006:15:04:05": cannot parse "" as ":"',
    });
    expect(parseWithLayout('x', '2006', 'Nowhere', ctx)).toEqual({
      ok: false,
      error: 'unknown time zone Nowhere',
    });
  });
});

describe('goFormatFloat', () => {
  it.each([
    [1638417343, '1638417343'],
    [1.6384173430011e12, '1638417343001.1'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-0, '-0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [-1.25e22, '-12500000000000000000000'],
  ])('%s', (x, want) => {
    expect(goFormatFloat(x)).toBe(want);
  });
});
