/**
 * The small helpers of the line-protocol codec: escape tables, DataKit's
 * line splitter, lazy line/offset positions, UTF-8 order and lengths, and
 * strict base64.
 */
import { describe, expect, it } from 'vitest';
import { decodeStdBase64, encodeStdBase64 } from '../../../src/point/codec/base64-std.js';
import {
  escapeFieldKey,
  escapeMeasurement,
  escapeStringValue,
  escapeTag,
  unescapeFieldKey,
  unescapeMeasurement,
  unescapeTag,
} from '../../../src/point/codec/lp-escape.js';
import { scanLogicalLineEnd } from '../../../src/point/codec/lp-line-scan.js';
import { TextPositions } from '../../../src/point/codec/text-position.js';
import { compareUtf8, isSortedUtf8, utf8Length } from '../../../src/point/codec/utf8.js';

describe('escapes', () => {
  it.each([
    [unescapeMeasurement, 'a\\,b\\ c\\=d\\"e\\\\f\\x', 'a,b c=d"e\\\\f\\x'],
    [unescapeTag, 'a\\,b\\ c\\=d\\"e\\\\f', 'a,b c=d\\"e\\\\f'],
    [unescapeTag, '\\\\,', '\\,'],
    [unescapeFieldKey, 'a\\,b\\ c\\=d\\"e', 'a,b c=d"e'],
    [unescapeFieldKey, '\\\\,', ','],
    [unescapeFieldKey, 'a\\\\b', 'a\\b'],
    [unescapeFieldKey, 'a\\xb\\', 'a\\xb\\'],
    [escapeMeasurement, 'a b,c=d"e', 'a\\ b\\,c=d"e'],
    [escapeMeasurement, 'a\\,b', 'a\\,b'],
    [escapeTag, 'a b,c=d"e\\', 'a\\ b\\,c\\=d"e\\'],
    [escapeFieldKey, 'a b,c=d"e\\', 'a\\ b\\,c\\=d\\"e\\'],
    [escapeStringValue, 'say "hi" \\ ok', 'say \\"hi\\" \\\\ ok'],
    [escapeStringValue, '\\"', '\\\\\\"'],
  ])('%o(%j) = %j', (fn, input, want) => {
    expect(fn(input)).toBe(want);
  });

  it('returns the same string when there is nothing to do', () => {
    const s = 'plain-text_123';
    for (const fn of [
      unescapeMeasurement,
      unescapeTag,
      unescapeFieldKey,
      escapeTag,
      escapeFieldKey,
      escapeStringValue,
    ]) {
      expect(fn(s)).toBe(s);
    }
  });
});

describe('scanLogicalLineEnd (DataKit line splitting)', () => {
  it.each([
    ['a b=1\nc', 0, 5],
    ['a b="x\ny"\nc', 0, 9],
    ['a b=1 "x\ny"\nc', 0, 11], // a quote after a value still counts
    ['a,t="x\ny b=1', 0, 6], // quotes before the fields do not
    ['a b\\\nc=1\nd', 0, 8], // backslash joins lines
    ['a b=[1,"x\ny"]\nz', 0, 13],
    ['a b]x\nc', 0, 4], // stray `]` ends the line
    ['a b=[[1]]\nz', 0, 6], // so does a second `[`
    ['# a="b\nc d=1', 0, 12],
    ['abc', 0, 3],
    ['x\ny\n', 2, 3],
  ])('%j from %d ends at %d', (s, start, end) => {
    expect(scanLogicalLineEnd(s, start)).toBe(end);
  });
});

describe('TextPositions', () => {
  const s = 'ab\nü😀\n\nxyz';
  it('finds lines and UTF-8 offsets forwards', () => {
    const p = new TextPositions(s);
    expect([p.line(0), p.byteOffset(0)]).toEqual([1, 0]);
    expect([p.line(3), p.byteOffset(3)]).toEqual([2, 3]);
    expect([p.line(7), p.byteOffset(7)]).toEqual([3, 10]);
    expect([p.line(8), p.byteOffset(8)]).toEqual([4, 11]);
    expect([p.line(11), p.byteOffset(11)]).toEqual([4, 14]);
  });

  it('answers the same when going backwards', () => {
    const p = new TextPositions(s);
    p.line(11);
    p.byteOffset(11);
    expect([p.line(3), p.byteOffset(3)]).toEqual([2, 3]);
    expect([p.line(2), p.byteOffset(2)]).toEqual([1, 2]);
    expect([p.line(0), p.byteOffset(0)]).toEqual([1, 0]);
    expect([p.line(8), p.byteOffset(8)]).toEqual([4, 11]);
  });
});

describe('UTF-8 helpers', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['ü', 2],
    ['日', 3],
    ['😀', 4],
    ['\uD83D', 3], // a lone surrogate becomes U+FFFD
    ['a\uDE00b', 5],
  ])('utf8Length(%j) = %d', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });

  it('orders like the UTF-8 bytes', () => {
    const keys = ['b', 'a', '😀', '\uE000', 'ü', 'aa', '', 'Z', '\uFFFF', '𐀀'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareUtf8)).toEqual(byBytes);
    expect(isSortedUtf8(byBytes)).toBe(true);
    expect(isSortedUtf8(keys)).toBe(false);
    expect(compareUtf8('x', 'x')).toBe(0);
  });
});

describe('standard base64', () => {
  it.each([
    ['', []],
    ['aGk=', [104, 105]],
    ['aGVsbG8=', [104, 101, 108, 108, 111]],
    ['aGVs\r\nbG8=', [104, 101, 108, 108, 111]],
    ['+/+/', [251, 255, 191]],
  ])('decodes %j', (text, bytes) => {
    expect(decodeStdBase64(text)).toEqual(new Uint8Array(bytes));
  });

  it.each(['aGk', 'aGk==', 'a=Gk', 'aG-k', 'aGk=aGk=', ' aGk=', 'aGk_'])('rejects %j', (text) => {
    expect(decodeStdBase64(text)).toBeNull();
  });

  it('encodes with padding', () => {
    expect(encodeStdBase64(new Uint8Array([104, 105]))).toBe('aGk=');
  });
});
