/**
 * Four bytes at a time: searching a string value for its closing quote or
 * next escape, for the line-protocol forwarder.
 *
 * Why: a JS loop pays about the same per iteration whether it reads one
 * byte or a 32-bit word, and log messages are most of a line's bytes. The
 * search is the "SWAR" zero-byte test: for `x = word ^ 0x22222222` a byte
 * of `(x - 0x01010101) & ~x & 0x80808080` is set where a byte of `x` is
 * zero, i.e. where the word holds a quote; bits above the first such byte
 * may be wrong, but the lowest set bit is always right, and that is the
 * only one used. `DataView` reads are unaligned-safe and little-endian
 * here, so the lowest bit is the first byte in memory.
 */

const ONES = 0x01010101;
const HIGHS = 0x80808080 | 0;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;

/** Byte index (0-3) of the lowest set bit of a non-zero mask. */
function firstByte(m: number): number {
  return (31 - Math.clz32(m & -m)) >> 3;
}

/**
 * Index of the first `"` or `\` at or after `i`. The arena's sentinel
 * quote after the body ends the search there at the latest.
 */
export function firstQuoteOrBackslash(dv: DataView, i: number): number {
  for (;;) {
    const v = dv.getInt32(i, true);
    const q = v ^ QUOTES;
    const s = v ^ BACKSLASHES;
    const m = (((q - ONES) & ~q) | ((s - ONES) & ~s)) & HIGHS;
    if (m !== 0) return i + firstByte(m);
    i += 4;
  }
}
