/**
 * The byte road must make of a read exactly what the ordinary road makes
 * (LineReader, then Multiline with joining off), or decline the read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../src/inputs/logging/line-reader.js';
import { Multiline } from '../../../src/inputs/logging/multiline.js';
import { RawLines, scanRawLines } from '../../../src/inputs/logging/raw-lines.js';

interface Msg {
  text: string;
  end: number;
}

/** The ordinary road's messages for the complete lines of `bytes` read at stream offset `base`. */
function ordinary(bytes: Buffer, base: number, max: number): Msg[] {
  const reader = new LineReader({ encoding: 'utf-8', maxLineBytes: max, removeAnsi: false }, base);
  const ml = Multiline.create({ match: '', auto: false, extraPatterns: [] }) as Multiline;
  const out: Msg[] = [];
  for (const line of reader.push(bytes)) {
    if (line.bare) continue;
    const m = ml.push(line, 0);
    if (m !== null) out.push({ text: m.text, end: m.end });
  }
  return out;
}

/** The byte road's messages, or null when it declines. */
function byteRoad(bytes: Buffer, base: number, max: number): { msgs: Msg[]; consumed: number } | null {
  const r = new RawLines(Buffer.alloc(bytes.length));
  bytes.copy(r.buf);
  if (!scanRawLines(r, bytes.length, base, max)) return null;
  const msgs: Msg[] = [];
  for (let i = 0; i < r.count; i++) {
    msgs.push({ text: r.buf.toString('utf8', r.starts[i]!, r.ends[i]!), end: r.streamEnds[i]! });
  }
  return { msgs, consumed: r.consumed };
}

const piece = fc.oneof(
  fc.constantFrom(
    'GET /index.html 200',
    ' ',
    '  ',
    '\t',
    '\r',
    '\n',
    '\r\n',
    '\n\n',
    '\u00a0',
    '\u3000',
    '\u2028',
    '\u0085',
    '\u200a',
    '\u1680',
    '中文',
    'ü',
    '😀',
    '\ufeff',
    '\v\f',
    '"quoted"',
  ),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

const stream = fc
  .record({
    pieces: fc.array(piece, { maxLength: 40 }),
    bom: fc.boolean(),
    invalid: fc.oneof({ arbitrary: fc.constant(-1), weight: 4 }, fc.integer({ min: 0, max: 200 })),
    newlineAtEnd: fc.boolean(),
  })
  .map(({ pieces, bom, invalid, newlineAtEnd }) => {
    let b = Buffer.from((bom ? '\ufeff' : '') + pieces.join('') + (newlineAtEnd ? '\n' : ''), 'utf8');
    if (invalid >= 0 && b.length > 0) {
      b = Buffer.from(b);
      b[invalid % b.length] = 0xff;
    }
    return b;
  });

describe('the byte road (raw-lines.ts)', () => {
  it('finds what the ordinary road finds, or declines', () => {
    let taken = 0;
    fc.assert(
      fc.property(stream, fc.constantFrom(0, 7), fc.constantFrom(8, 40, 1 << 20), (bytes, base, max) => {
        const got = byteRoad(bytes, base, max);
        if (got === null) return;
        taken++;
        // The ordinary road over the consumed bytes only (the rest is read again).
        expect(got.msgs).toEqual(ordinary(bytes.subarray(0, got.consumed), base, max));
        expect(bytes[got.consumed - 1]).toBe(0x0a);
      }),
      { numRuns: 2000 },
    );
    // The generator must exercise the road, not only its refusals.
    expect(taken).toBeGreaterThan(400);
  });

  it('trims as DataKit does, quirk included, and drops what trims to nothing', () => {
    const got = byteRoad(Buffer.from('a  \r\n\tat 函数 \u3000\n\tat 函数()\n \t\r\n\n\u00a0\nz\n'), 5, 1024)!;
    expect(got.msgs).toEqual([
      { text: 'a', end: 10 },
      { text: 'at 函数', end: 25 },
      { text: '\tat 函数()', end: 38 },
      { text: 'z', end: 48 },
    ]);
  });

  it('drops a byte order mark only at stream offset 0', () => {
    const bytes = Buffer.from('\ufeffhello\n\ufeffagain\n');
    expect(byteRoad(bytes, 0, 1024)!.msgs.map((m) => m.text)).toEqual(['hello', '\ufeffagain']);
    expect(byteRoad(bytes, 1, 1024)!.msgs.map((m) => m.text)).toEqual(['\ufeffhello', '\ufeffagain']);
  });

  it('declines invalid UTF-8, lines over the limit, a tail over the limit and reads without a complete line', () => {
    expect(byteRoad(Buffer.from([0x61, 0xff, 0x0a]), 0, 1024)).toBeNull();
    expect(byteRoad(Buffer.from('0123456789\n'), 0, 8)).toBeNull();
    expect(byteRoad(Buffer.from('ok\n0123456789'), 0, 8)).toBeNull();
    expect(byteRoad(Buffer.from('no newline yet'), 0, 1024)).toBeNull();
    // A tail within the limit is left to be read again.
    expect(byteRoad(Buffer.from('ok\npart'), 0, 8)).toEqual({ msgs: [{ text: 'ok', end: 3 }], consumed: 3 });
  });

  it('grows its columns past their first size', () => {
    const bytes = Buffer.from('x\n'.repeat(5000));
    const got = byteRoad(bytes, 0, 1024)!;
    expect(got.msgs.length).toBe(5000);
    expect(got.msgs[4999]).toEqual({ text: 'x', end: 10_000 });
  });

  it('reads less after an output that did not fit, and more again once there is room', () => {
    const r = new RawLines(Buffer.alloc(1 << 20));
    expect(r.readBytes).toBe(256 * 1024);
    r.consumed = 256 * 1024;
    r.fitted(true, 0, 1 << 20);
    expect(r.readBytes).toBe(128 * 1024);
    for (let i = 0; i < 10; i++) r.fitted(true, 0, 1 << 20);
    expect(r.readBytes).toBe(16 * 1024);
    r.consumed = 16 * 1024;
    r.fitted(false, 100_000, 1 << 20);
    expect(r.readBytes).toBe(32 * 1024);
    // Output using more than a third of the room: stay.
    r.fitted(false, 500_000, 1 << 20);
    expect(r.readBytes).toBe(32 * 1024);
    for (let i = 0; i < 10; i++) r.fitted(false, 1000, 1 << 20);
    expect(r.readBytes).toBe(256 * 1024);
  });
});
