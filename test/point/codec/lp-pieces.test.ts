/**
 * Large line-protocol bodies are decoded to text piece by piece (see
 * `decodePieces` in lp-decode.ts). Whatever the body, the result must be
 * the one the same text gives when decoded whole: same points, same
 * errors with the same line numbers and byte offsets, including lines
 * that straddle a cut (string values with newlines), bad lines in later
 * pieces, multi-byte characters before them, and invalid UTF-8.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../../src/point/codec/errors.js';
import { decodeLineProtocol } from '../../../src/point/codec/line-protocol.js';
import { toTyped } from '../../../src/point/typed-json.js';

const PIECE = 32 * 1024;
const opts = { category: 'logging' as const, now: 1n };

function typed(r: DecodeResult) {
  return { points: r.points.map((p) => ({ ...toTyped(p), warns: p.warns })), errors: r.errors };
}

/** Decoding the bytes (pieces) and the string (whole) must agree. */
function expectSame(body: string): DecodeResult {
  const bytes = Buffer.from(body, 'utf8');
  const whole = decodeLineProtocol(body, opts);
  const pieces = decodeLineProtocol(bytes, opts);
  expect(typed(pieces)).toEqual(typed(whole));
  return pieces;
}

const filler = (n: number, from = 0) =>
  Array.from(
    { length: n },
    (_, i) =>
      `nginx,host=web-${(from + i) % 8} message="line ${from + i} é",n=${i}i ${1700000000000000000n + BigInt(i)}`,
  ).join('\n');

describe('line protocol decoded in pieces', () => {
  it('gives the same points as the whole text', () => {
    const body = `${filler(3000)}\n`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(4 * PIECE);
    expect(expectSame(body).points).toHaveLength(3000);
  });

  it('reads a string value whose newlines straddle a cut', () => {
    const head = filler(400);
    const cut = Buffer.byteLength(head);
    expect(cut).toBeLessThan(PIECE);
    const pad = 'x'.repeat(PIECE - cut - 10);
    const body = `${head}\nm s="${pad}\n\n\nmore\nlines",k=1i 1\n${filler(400, 400)}`;
    const r = expectSame(body);
    expect(r.errors).toEqual([]);
    expect((r.points[400]!.fields.get('s') as string).endsWith('more\nlines')).toBe(true);
    expect(r.points).toHaveLength(801);
  });

  it('numbers bad lines in later pieces by line and byte, after multi-byte text', () => {
    const body = `${filler(1000)}\nbad line\n${filler(10)}\nm f=1i\r\n${filler(1000)}\nm,t=1 x=1u2`;
    const r = expectSame(body);
    expect(r.errors.map((e) => e.line)).toEqual([1001, 1012, 2013]);
    expect(r.errors[0]!.offset).toBe(Buffer.byteLength(`${filler(1000)}\n`));
    expect(r.points).toHaveLength(2010);
  });

  it('handles a single line longer than a piece, and no final newline', () => {
    const body = `m s="${'é'.repeat(PIECE)}" 1\n${filler(5)}`;
    expect(expectSame(body).points).toHaveLength(6);
  });

  it('keeps whole-body offsets for invalid UTF-8', () => {
    const good = Buffer.from(`${filler(2000)}\n`);
    const body = Buffer.concat([good, Buffer.from([0x6d, 0x20, 0x66, 0x3d, 0xff, 0x0a]), good]);
    const whole = decodeLineProtocol(body.toString('utf8'), opts);
    const r = decodeLineProtocol(body, opts);
    expect(typed(r)).toEqual(typed(whole));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(2001);
  });

  it('agrees with the whole text on random bodies', () => {
    const line = fc.oneof(
      { weight: 8, arbitrary: fc.nat(1000).map((i) => filler(1, i)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'bad',
          'm f="open\nstill open\n',
          'm f="a\nb" 1',
          '# comment "',
          '',
          'm f=1i\r',
          'm,a=1 f=[1i,"x"]',
          'm f="é😀" 1',
          'm f=1i 99999999999999999999',
        ),
      },
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 400, maxLength: 1200 }), (lines) => {
        expectSame(lines.join('\n'));
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });
});
