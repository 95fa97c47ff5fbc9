import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/config/index.js';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['10s', 10_000],
    ['1m', 60_000],
    ['100ms', 100],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300us', 0.3],
    ['300µs', 0.3],
    ['300μs', 0.3],
    ['1500ns', 0.0015],
    ['2h45m30.5s', 9_930_500],
    ['-1s', -1000],
    ['+1s', 1000],
    ['.5s', 500],
    ['1.s', 1000],
  ])('%s → %f ms', (s, ms) => {
    expect(parseGoDuration(s)).toBeCloseTo(ms, 9);
  });

  it.each(['', '10', '1d', 's', '1h30', '1 s', '-', '.s', '10sec', 'abc', '1m-1s'])('rejects %j', (s) => {
    expect(parseGoDuration(s)).toBeNull();
  });
});
