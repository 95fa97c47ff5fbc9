/**
 * The line-protocol decoder reuses the previous line's key strings when a
 * key at the same position is equal. Keys that differ only slightly, move
 * position, or come and go between lines must still read exactly.
 */
import { describe, expect, it } from 'vitest';
import { decodeLineProtocol } from '../../../src/point/codec/line-protocol.js';

describe('line-protocol key reuse', () => {
  it.each([
    ['same keys', ['m,a=1,b=2 x=1i,y=2i', 'm,a=3,b=4 x=3i,y=4i']],
    ['same length, other chars', ['m,ab=1 xy=1i', 'm,ac=1 xz=1i', 'm,ab=1 xy=1i']],
    ['keys moving between positions', ['m,a=1,b=2 x=1i', 'm,b=2 a=1i,x=1i', 'm x=1i,a=1i']],
    ['a prefix of the previous key', ['m,host=1 message="a"', 'm,hos=1 messag="a"']],
    ['escaped keys between plain ones', ['m,a=1 x=1i', 'm,a\\ b=1 x\\,y=1i', 'm,a=1 x=1i']],
    [
      'more keys than the line before',
      ['m x=1i', `m ${Array.from({ length: 70 }, (_, i) => `k${i}=${i}i`).join(',')}`],
    ],
  ])('%s', (_, lines) => {
    const res = decodeLineProtocol(lines.join('\n'), { category: 'metric', now: 1n });
    expect(res.errors).toEqual([]);
    const keys = res.points.map((p) => [[...p.tags.keys()], [...p.fields.keys()]]);
    const want = lines.map((l) => {
      const one = decodeLineProtocol(l, { category: 'metric', now: 1n }).points[0]!;
      return [[...one.tags.keys()], [...one.fields.keys()]];
    });
    expect(keys).toEqual(want);
  });

  it('reads the keys literally', () => {
    const res = decodeLineProtocol('m,ab=1 xy=1i\nm,ac=1 xz=1i', { category: 'metric', now: 1n });
    expect(res.points.map((p) => [...p.tags.keys(), ...p.fields.keys()])).toEqual([
      ['ab', 'xy'],
      ['ac', 'xz'],
    ]);
  });
});
