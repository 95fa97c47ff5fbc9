/** default_time: DataKit's fixed layouts first, then the guess; zone arguments; value to text. */
import { describe, expect, it } from 'vitest';
import {
  guessTime,
  guessTimeNs,
  makeTimeContext,
  timeInputText,
} from '../../../../src/pipeline/funcs/time/index.js';
import { UInt } from '../../../../src/point/index.js';

const NOW = 1795690041000000000n; // 2026-11-26T10:47:21Z
const shanghai = makeTimeContext('Asia/Shanghai', () => NOW);
const utc = makeTimeContext('UTC', () => NOW);

describe('guessTime', () => {
  it.each([
    // DataKit's own layouts, read in the zone
    ['02/Dec/2021:11:55:34 +0800', '', shanghai, 1638417334000000000n],
    ['14 May 2019 19:11:40.164', '', utc, 1557861100164000000n],
    ['171113 14:14:20', '', shanghai, 1510553660000000000n],
    ['2021/02/27 - 08:11:46', '', utc, 1614413506000000000n],
    ['Tue May 18 06:25:05.176170 2021', '', utc, 1621319105176170000n],
    ['2021-05-27 06:54:14.760 UTC', '', shanghai, 1622069654760000000n],
    // the year-less redis layout takes the current local year
    ['15 Mar 06:20:12.000', '', utc, 1773555612000000000n],
    // zone arguments
    ['2021-12-02 11:55:43', '+9', utc, 1638413743000000000n],
    ['2021-12-02 11:55:43', 'America/New_York', utc, 1638464143000000000n],
    // numbers as text
    ['1638417343', '', shanghai, 1638417343000000000n],
  ])('%s (tz %j)', (text, tz, ctx, ns) => {
    expect(guessTime(text, tz, ctx)).toEqual({ ok: true, ns });
  });

  it('leaves a pre-1970 fixed-layout match to the guess, which reads it the same', () => {
    expect(guessTimeNs('01 Jan 1969 00:00:00.000', '', utc)).toBe(-31536000000000000n);
  });

  it.each([
    ['2021-12-02', '+15', 'fail to parse timezone +15'],
    ['2021-12-02', 'Asia/Nowhere', 'unknown time zone Asia/Nowhere'],
    ['2021-12-02', 'CST', 'unknown time zone CST'],
    ['now', '', 'Could not find format for "now"'],
    // two words: taken for "Mon Jan ..." and refused by the final parse
    ['not a date', '', 'parsing time "not a date" as "Mon Janate": cannot parse "not a date" as "Mon"'],
    ['', '', 'Could not find format for ""'],
    ['2021-13-02', '', 'parsing time "2021-13-02": month out of range'],
  ])('%j (tz %j) fails', (text, tz, error) => {
    expect(guessTime(text, tz, shanghai)).toEqual({ ok: false, error });
    expect(guessTimeNs(text, tz, shanghai)).toBeNull();
  });
});

describe('timeInputText', () => {
  it('reads values as DataKit converts them to text', () => {
    expect(timeInputText('x')).toBe('x');
    expect(timeInputText(1638417343n)).toBe('1638417343');
    expect(timeInputText(1638417343001)).toBe('1638417343001');
    expect(timeInputText(1.638417343e18)).toBe('1638417343000000000');
    expect(timeInputText(true)).toBe('true');
    expect(timeInputText(null)).toBe('');
    expect(timeInputText(new UInt(7n))).toBe('7');
    expect(timeInputText(new Uint8Array([50, 48]))).toBe('20');
    expect(timeInputText([1n, 'a'])).toBe('[1,"a"]');
    expect(timeInputText(undefined)).toBeNull();
  });

  it('gives float timestamps their digit-length reading', () => {
    expect(guessTimeNs(timeInputText(1638417343001)!, '', shanghai)).toBe(1638417343001000000n);
  });
});
