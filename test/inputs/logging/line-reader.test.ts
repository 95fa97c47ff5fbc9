/**
 * LineReader: bytes → lines with exact offsets, whatever the chunking,
 * in every encoding DataKit's `character_encoding` accepts; long lines come
 * out in pieces with no byte lost; bad options are error values naming the
 * option.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../src/inputs/logging/ansi.js';
import {
  LineReader,
  LineReaderError,
  type LineReaderOptions,
  resolveEncoding,
} from '../../../src/inputs/logging/line-reader.js';
import type { Line } from '../../../src/inputs/logging/types.js';

const UTF8: LineReaderOptions = { encoding: '', maxLineBytes: 1 << 20, removeAnsi: false };

function reader(opts: Partial<LineReaderOptions> = {}, start = 0): LineReader {
  const r = LineReader.create({ ...UTF8, ...opts }, start);
  if (r instanceof LineReaderError) throw r;
  return r;
}

/** Feeds `bytes` cut at `cuts` (sorted offsets inside it); returns all lines. */
function feed(r: LineReader, bytes: Uint8Array, cuts: readonly number[] = []): Line[] {
  const out: Line[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(...r.push(bytes.subarray(prev, c)));
    prev = c;
  }
  return out;
}

const buf = (s: string) => Buffer.from(s, 'utf8');
const line = (text: string, end: number, truncated = false): Line => ({ text, end, truncated });

describe('LineReader: UTF-8 lines and offsets', () => {
  it.each([
    ['one line', 'abc\n', [line('abc', 4)]],
    ['CRLF', 'abc\r\nde\n', [line('abc', 5), line('de', 8)]],
    [
      'empty lines kept (dropping is multiline’s job); a bare one is flagged',
      '\n\r\nx\n',
      [{ ...line('', 1), bare: true }, line('', 3), line('x', 5)],
    ],
    ['lone CR inside a line is kept', 'a\rb\n', [line('a\rb', 4)]],
    ['two CRs: only the one before LF goes', 'a\r\r\n', [line('a\r', 4)]],
    ['unfinished tail held', 'a\nbc', [line('a', 2)]],
    ['BOM at offset 0 dropped', '\ufeffhead\n\ufeffkept\n', [line('head', 8), line('\ufeffkept', 16)]],
    ['multi-byte text', '日本語\nü\n', [line('日本語', 10), line('ü', 13)]],
  ])('%s', (_, input, want) => {
    expect(feed(reader(), buf(input))).toEqual(want);
  });

  it('invalid UTF-8 decodes to U+FFFD as Node does', () => {
    expect(feed(reader(), Buffer.from([0x61, 0xff, 0x62, 0x0a]))).toEqual([line('a\ufffdb', 4)]);
  });

  it('offsets start at startOffset; a BOM is dropped only at offset 0', () => {
    const r = reader({}, 100);
    expect(feed(r, buf('\ufeffx\ny\n'))).toEqual([line('\ufeffx', 105), line('y', 107)]);
    expect(r.offset).toBe(107);
  });

  it('offset and pendingBytes follow the bytes pushed', () => {
    const r = reader({}, 10);
    expect(r.push(buf('ab'))).toEqual([]);
    expect([r.offset, r.pendingBytes]).toEqual([12, 2]);
    expect(r.push(buf('c\nde'))).toEqual([line('abc', 14)]);
    expect([r.offset, r.pendingBytes]).toEqual([16, 2]);
    expect(r.push(new Uint8Array(0))).toEqual([]);
    expect(r.offset).toBe(16);
  });

  it('a CR split from its LF across chunks is still dropped', () => {
    expect(feed(reader(), buf('ab\r\ncd\n'), [3])).toEqual([line('ab', 4), line('cd', 7)]);
  });

  it('a BOM split across chunks is still dropped', () => {
    expect(feed(reader(), buf('\ufeffa\n'), [1, 2])).toEqual([line('a', 5)]);
  });

  it('accepts plain Uint8Array views into a larger buffer', () => {
    const big = new Uint8Array([0x78, 0x61, 0x0a, 0x62, 0x0a, 0x78]);
    expect(reader().push(big.subarray(1, 5))).toEqual([line('a', 2), line('b', 4)]);
  });

  it('does not keep references to the caller’s chunk', () => {
    const r = reader();
    const chunk = buf('held');
    r.push(chunk);
    chunk.fill(0x7a);
    expect(r.push(buf('!\n'))).toEqual([line('held!', 6)]);
  });
});

describe('LineReader: flushPartial', () => {
  it('hands out the unfinished line with end = offset, then starts afresh', () => {
    const r = reader({}, 5);
    expect(r.flushPartial()).toBeNull();
    r.push(buf('a\nbc\r'));
    expect(r.flushPartial()).toEqual(line('bc', 10));
    expect(r.pendingBytes).toBe(0);
    expect(r.flushPartial()).toBeNull();
    expect(r.push(buf('d\n'))).toEqual([line('d', 12)]);
  });

  it('a long unfinished line: pieces go out as they fill, the flush hands out the rest', () => {
    const r = reader({ maxLineBytes: 4 });
    expect(r.push(buf('abcdefgh'))).toEqual([line('abcd', 4, true)]);
    expect(r.pendingBytes).toBe(4);
    expect(r.flushPartial()).toEqual(line('efgh', 8));
    expect(r.push(buf('ij\n'))).toEqual([line('ij', 11)]);
  });

  it('a CR over the limit at the end of the stream is dropped by the flush, not cut off as a piece', () => {
    const r = reader({ maxLineBytes: 4 });
    expect(r.push(buf('abcd\r'))).toEqual([]);
    expect(r.flushPartial()).toEqual(line('abcd', 5));
  });
});

describe('LineReader: maxLineBytes', () => {
  it.each([
    ['exactly the limit', 'abcd\n', [line('abcd', 5)]],
    ['limit plus the CR of CRLF', 'abcd\r\n', [line('abcd', 6)]],
    ['one over', 'abcde\n', [line('abcd', 4, true), line('e', 6)]],
    [
      'far over, then a normal line',
      'abcdefghijk\r\nxy\n',
      [line('abcd', 4, true), line('efgh', 8, true), line('ijk', 13), line('xy', 16)],
    ],
    ['twice the limit: the last piece is full', 'abcdefgh\n', [line('abcd', 4, true), line('efgh', 9)]],
    ['over with a CR in the middle', 'abcd\rx\n', [line('abcd', 4, true), line('\rx', 7)]],
    ['over by a CR that is not before LF', 'abcd\r\r\n', [line('abcd', 4, true), line('\r', 7)]],
    ['cut backs off to a UTF-8 boundary', 'abc日\n', [line('abc', 3, true), line('日', 7)]],
    [
      'BOM at offset 0 counts as bytes of the first piece',
      '\ufeffabcde\n',
      [line('a', 4, true), line('bcde', 9)],
    ],
  ])('%s', (_, input, want) => {
    expect(feed(reader({ maxLineBytes: 4 }), buf(input))).toEqual(want);
  });

  it('memory stays bounded while a huge line streams in, and no byte is lost', () => {
    const r = reader({ maxLineBytes: 8 });
    const pieces: Line[] = [];
    for (let i = 0; i < 1000; i++) {
      pieces.push(...r.push(buf('0123456789')));
      expect(r.pendingBytes).toBeLessThanOrEqual(9);
    }
    pieces.push(...r.push(buf('\nok\n')));
    expect(pieces.length).toBe(1251);
    expect(pieces.slice(0, 1250).every((l, i) => l.truncated === i < 1249 && l.text.length === 8)).toBe(true);
    expect(
      pieces
        .slice(0, 1250)
        .map((l) => l.text)
        .join(''),
    ).toBe('0123456789'.repeat(1000));
    expect(pieces.slice(-2)).toEqual([line('23456789', 10_001), line('ok', 10_004)]);
  });

  it('every piece end is a place to start again from', () => {
    const bytes = buf('abcdefghij\nk\n');
    const whole = feed(reader({ maxLineBytes: 4 }), bytes);
    expect(whole).toEqual([line('abcd', 4, true), line('efgh', 8, true), line('ij', 11), line('k', 13)]);
    for (let k = 0; k < whole.length; k++) {
      const e = whole[k]!.end;
      expect(feed(reader({ maxLineBytes: 4 }, e), bytes.subarray(e))).toEqual(whole.slice(k + 1));
    }
  });

  it('UTF-16 cut keeps whole code units and surrogate pairs', () => {
    const bytes = iconv.encode('ab😀cd\n', 'utf16le'); // a b | d83d de00 | c d | LF: 14 bytes
    expect(feed(reader({ encoding: 'utf-16le', maxLineBytes: 7 }), bytes)).toEqual([
      line('ab', 4, true),
      line('😀c', 10, true),
      line('d', 14),
    ]);
    expect(feed(reader({ encoding: 'utf-16le', maxLineBytes: 9 }), bytes)).toEqual([
      line('ab😀', 8, true),
      line('cd', 14),
    ]);
  });

  it('GBK cut keeps whole characters', () => {
    const bytes = iconv.encode('a中文b\n', 'gbk'); // 61 | d6 d0 | ce c4 | 62
    expect(feed(reader({ encoding: 'gbk', maxLineBytes: 4 }), bytes)).toEqual([
      line('a中', 3, true),
      line('文b', 7),
    ]);
    const four = iconv.encode('a\u0080b\n', 'gb18030'); // U+0080 is a 4-byte sequence
    expect(feed(reader({ encoding: 'gb18030', maxLineBytes: 4 }), four)).toEqual([
      line('a', 1, true),
      line('\u0080', 5, true),
      line('b', 7),
    ]);
    expect(feed(reader({ encoding: 'gb18030', maxLineBytes: 5 }), four)).toEqual([
      line('a\u0080', 5, true),
      line('b', 7),
    ]);
  });
});

describe('LineReader: other encodings', () => {
  it.each([
    ['utf-16le', 'héllo\r\n世界\n'],
    ['utf-16be', 'héllo\r\n世界\n'],
    ['gbk', '中文日志\r\nline two\n'],
    ['gb18030', '中文\u20ac😀\nend\n'],
  ])('%s', (enc, text) => {
    const bytes = iconv.encode(text, enc);
    const lines = feed(reader({ encoding: enc }), bytes);
    expect(lines.map((l) => l.text)).toEqual(text.split(/\r?\n/).slice(0, -1));
    expect(lines.at(-1)!.end).toBe(bytes.length);
  });

  it('UTF-16: a 0x0A byte that is not a newline unit does not split', () => {
    // U+0A0A (Gurmukhi) and U+4E0A (上) both hold a 0x0A byte.
    for (const enc of ['utf-16le', 'utf-16be']) {
      const bytes = iconv.encode('\u0a0a上\n', enc);
      expect(feed(reader({ encoding: enc }), bytes)).toEqual([line('\u0a0a上', 6)]);
    }
  });

  it('UTF-16: code units split across odd chunks', () => {
    const bytes = iconv.encode('ab\ncd\n', 'utf16be');
    const cuts = [1, 4, 5, 7];
    expect(feed(reader({ encoding: 'utf-16be' }), bytes, cuts)).toEqual([line('ab', 6), line('cd', 12)]);
  });

  it('UTF-16: BOM at offset 0 dropped, and pendingBytes counts a held odd byte', () => {
    const r = reader({ encoding: 'utf-16le' });
    expect(r.push(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x0a]))).toEqual([]);
    expect(r.pendingBytes).toBe(5);
    expect(r.push(Buffer.from([0x00]))).toEqual([line('a', 6)]);
  });

  it('encoding names are matched without regard to case', () => {
    expect(resolveEncoding('GBK')).toBe('gbk');
    expect(resolveEncoding('UTF-16LE')).toBe('utf16le');
    expect(resolveEncoding('none')).toBe('utf8');
  });
});

describe('stripAnsi (DataKit’s pattern)', () => {
  it.each([
    ['\u001b[0m', ''],
    ['\u001b[1;31mbold red\u001b[0m', 'bold red'],
    ['\u001b[38;5;196mx', 'x'],
    ['\u001b[2J\u001b[H', ''],
    ['\u001b[?25l', ''],
    ['a\u001b[Kb', 'ab'],
    ['\u001b]0;title\u0007rest', 'rest'],
    ['\u009b31mx', 'x'],
    ['\u001b(B', ''],
    ['\u001b', '\u001b'], // a lone ESC is left
    ['\u001b[31', ''], // unfinished, but a digit may be the final byte: "3" then "1"
    ['\u001b[', '\u001b['],
    ['no escapes [31m', 'no escapes [31m'],
  ])('%j → %j', (input, want) => {
    expect(stripAnsi(input)).toBe(want);
  });
});

describe('LineReader: ANSI removal', () => {
  it('strips escape codes only when asked', () => {
    const input = buf('\u001b[31mred\u001b[0m text\n');
    expect(feed(reader({ removeAnsi: true }), input)).toEqual([line('red text', input.length)]);
    expect(feed(reader(), input)[0]!.text).toBe('\u001b[31mred\u001b[0m text');
  });
});

describe('LineReader: error values', () => {
  it.each([
    ['latin1', 'encoding'],
    ['utf-32', 'encoding'],
  ])('unknown encoding %s', (encoding, option) => {
    const r = LineReader.create({ ...UTF8, encoding }, 0);
    expect(r).toBeInstanceOf(LineReaderError);
    const e = r as LineReaderError;
    expect(e.option).toBe(option);
    expect(e.value).toBe(encoding);
    expect(e.message).toContain(JSON.stringify(encoding));
  });

  it.each([0, -1, Number.NaN])('maxLineBytes %d', (maxLineBytes) => {
    const r = LineReader.create({ ...UTF8, maxLineBytes }, 0);
    expect(r).toBeInstanceOf(LineReaderError);
    expect((r as LineReaderError).option).toBe('maxLineBytes');
  });

  it('the constructor throws what create returns', () => {
    expect(() => new LineReader({ ...UTF8, encoding: 'ebcdic' }, 0)).toThrow(LineReaderError);
  });
});

/** The offset just past every "\n" code unit in `bytes`, for checking `end`. */
function terminatorEnds(bytes: Uint8Array, unit: number, be: boolean): number[] {
  const ends: number[] = [];
  for (let i = 0; i + unit <= bytes.length; i += unit) {
    const isLf =
      unit === 1
        ? bytes[i] === 10
        : be
          ? bytes[i] === 0 && bytes[i + 1] === 10
          : bytes[i] === 10 && bytes[i + 1] === 0;
    if (isLf) ends.push(i + unit);
  }
  return ends;
}

/** Sorted distinct cut points inside [1, n). */
const cutsFor = (n: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 12 })
    .map((a) => a.filter((x) => x < n).sort((x, y) => x - y));

const lineText = fc.string({
  unit: fc.constantFrom('a', 'é', '中', '😀', '\r', ' ', '\u001b', 'z'),
  maxLength: 12,
});

describe('LineReader: properties', () => {
  const encodings = [
    ['', 1, false],
    ['utf-16le', 2, false],
    ['utf-16be', 2, true],
    ['gbk', 1, false],
    ['gb18030', 1, false],
  ] as const;

  for (const [enc, unit, be] of encodings) {
    it(`${enc || 'utf-8'}: any chunking gives the same pieces; no byte lost; restart at any end gives the rest`, () => {
      fc.assert(
        fc.property(
          fc.array(lineText, { maxLength: 8 }),
          fc.boolean(),
          fc.integer({ min: 0, max: 1000 }),
          fc.integer({ min: 4, max: 40 }),
          (lines, tail, start, max) => {
            // GBK cannot encode emoji; keep the text inside the charset.
            const src = enc === 'gbk' ? lines.map((l) => l.replace(/😀/g, 'x')) : lines;
            const text = src.join('\n') + (tail || src.length === 0 ? '' : '\n');
            const bytes = iconv.encode(text, enc === '' ? 'utf8' : enc);
            const name = enc === '' ? 'utf8' : enc;
            const r0 = reader({ encoding: enc, maxLineBytes: max }, start);
            const whole = feed(r0, bytes);
            const noCr = (l: string) => (l.endsWith('\r') ? l.slice(0, -1) : l);
            // Each line is its flagged pieces and then a last piece ending just past its terminator.
            const ends = terminatorEnds(bytes, unit, be).map((e) => e + start);
            expect(whole.filter((l) => !l.truncated).map((l) => l.end)).toEqual(ends);
            let li = 0;
            let joined = '';
            let prevEnd = start;
            for (const l of whole) {
              const size = iconv.encode(l.text, name).length;
              expect(size).toBeLessThanOrEqual(max);
              joined += l.text;
              if (l.truncated) {
                // Cut at a character boundary at most one character short of the limit, covering exactly its bytes.
                expect(size).toBeGreaterThan(max - 4);
                expect(l.end - prevEnd).toBe(size);
              } else {
                expect(joined).toBe(noCr(src[li]!));
                joined = '';
                li++;
              }
              prevEnd = l.end;
            }
            // An unterminated last line: its pieces so far plus the flushed rest.
            const rest = r0.flushPartial();
            if (li < src.length) {
              expect(joined + (rest?.text ?? '')).toBe(noCr(src[li]!));
              expect(rest?.end ?? prevEnd).toBe(start + bytes.length);
              if (rest !== null) expect(iconv.encode(rest.text, name).length).toBeLessThanOrEqual(max);
            } else expect(rest).toBeNull();
            for (let k = 0; k < whole.length; k++) {
              const e = whole[k]!.end;
              const again = feed(reader({ encoding: enc, maxLineBytes: max }, e), bytes.subarray(e - start));
              expect(again).toEqual(whole.slice(k + 1));
            }
            return fc.assert(
              fc.property(cutsFor(bytes.length), (cuts) => {
                const r = reader({ encoding: enc, maxLineBytes: max }, start);
                expect(feed(r, bytes, cuts)).toEqual(whole);
                expect(r.offset).toBe(start + bytes.length);
              }),
              { numRuns: 10 },
            );
          },
        ),
        { numRuns: 150 },
      );
    });

    it(`${enc || 'utf-8'}: round trip of text that fits`, () => {
      fc.assert(
        fc.property(fc.array(lineText, { minLength: 1, maxLength: 8 }), (lines) => {
          const src = enc === 'gbk' ? lines.map((l) => l.replace(/😀/g, 'x')) : lines;
          const bytes = iconv.encode(src.join('\n') + '\n', enc === '' ? 'utf8' : enc);
          const got = feed(reader({ encoding: enc }), bytes);
          // Only the one "\r" right before each "\n" goes.
          expect(got.map((l) => l.text)).toEqual(src.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
          expect(got.every((l) => !l.truncated)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  }
});
