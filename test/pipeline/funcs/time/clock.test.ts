/** timestamp() and adjust_timezone(). */
import { describe, expect, it } from 'vitest';
import { adjustTimezone, timestampAt } from '../../../../src/pipeline/funcs/time/index.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('timestampAt', () => {
  it.each([
    ['s', 1795690041n],
    ['ms', 1795690041602n],
    ['us', 1795690041602003n],
    ['ns', 1795690041602003004n],
    ['', 1795690041602003004n],
    ['hours', 1795690041602003004n],
  ])('%j', (p, want) => {
    expect(timestampAt(p, 1795690041602003004n)).toBe(want);
  });
});

describe('adjustTimezone', () => {
  it.each([
    // the two examples of DataKit's documentation
    ['2022-07-11T03:12:00.001Z', '2022-07-11T11:10:00Z', '2022-07-11T10:12:00.001Z'],
    ['2022-07-11T03:01:01Z', '2022-07-11T11:59:01Z', '2022-07-11T12:01:01Z'],
    // within (-58, 2] minutes of now: unchanged apart from whole hours
    ['2022-07-11T11:11:59Z', '2022-07-11T11:10:00Z', '2022-07-11T11:11:59Z'],
    ['2022-07-11T11:12:01Z', '2022-07-11T11:10:00Z', '2022-07-11T10:12:01Z'],
    ['2022-07-11T10:12:00Z', '2022-07-11T11:10:00Z', '2022-07-11T11:12:00Z'],
    ['2022-07-10T23:30:00Z', '2022-07-11T11:10:00Z', '2022-07-11T10:30:00Z'],
    ['2022-07-12T05:09:00Z', '2022-07-11T11:10:00Z', '2022-07-11T11:09:00Z'],
  ])('%s at %s', (log, now, want) => {
    expect(adjustTimezone(at(log), at(now))).toBe(at(want));
  });

  it('clamps the allowance to [0, 15] minutes', () => {
    const now = at('2022-07-11T11:10:00Z');
    expect(adjustTimezone(at('2022-07-11T11:20:00Z'), now, 15)).toBe(at('2022-07-11T11:20:00Z'));
    expect(adjustTimezone(at('2022-07-11T11:20:00Z'), now, 60)).toBe(at('2022-07-11T11:20:00Z'));
    expect(adjustTimezone(at('2022-07-11T11:10:01Z'), now, -5)).toBe(at('2022-07-11T10:10:01Z'));
  });

  it('works before 1970 with truncating division', () => {
    expect(adjustTimezone(-1n, 0n)).toBe(-1n);
    expect(adjustTimezone(-3_600_000_000_001n, 0n)).toBe(-1n);
  });
});
