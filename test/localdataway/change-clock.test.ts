import { describe, expect, it } from 'vitest';
import { ChangeClock } from '../../src/localdataway/change-clock.js';

describe('ChangeClock', () => {
  it('follows the newest mtime and holds still while the content does', () => {
    const c = new ChangeClock();
    expect(c.observe('a', 1000)).toBe(1000);
    expect(c.observe('a', 1000)).toBe(1000);
    expect(c.observe('a', 2000)).toBe(1000); // an mtime move alone is not a change
    expect(c.observe('b', 2000)).toBe(2000);
  });

  it('issues a fresh second when content changes without the mtime moving', () => {
    const c = new ChangeClock();
    expect(c.observe('a', 1000)).toBe(1000);
    expect(c.observe('b', 1000)).toBe(1001);
    expect(c.observe('c', 999)).toBe(1002); // a delete can lower the newest mtime
    expect(c.observe('a', 1000)).toBe(1003); // old content again is still a change
  });

  it('stays above the 0 and 1 sentinels', () => {
    const c = new ChangeClock();
    expect(c.observe('a', 0)).toBe(2);
    expect(c.observe('b', 1)).toBe(3);
  });
});
