/**
 * Number work of the line-protocol forwarder (`lp-forward.ts`) without
 * BigInt: decimal digits into two unsigned 32-bit limbs, scaling by powers
 * of 1000, two's-complement negation, protobuf varints from the limbs, and
 * decimal floats to doubles.
 *
 * A 64-bit value lives in the module-level `limbs` pair (`lo`, `hi`, both
 * unsigned) so no call allocates. Every step keeps its intermediate
 * products below 2^53, where doubles are exact.
 */

import { asBuffer, asciiSlice } from './fast-buffer.js';
import { varintSize } from './pb-writer.js';

/** 2^-32: multiplying by a power of two is exact, and cheaper than dividing by 2^32. */
const INV_TWO32 = 2 ** -32;
const DIGIT_0 = 48;

/** The last 64-bit value made here: low and high unsigned 32-bit halves. */
export const limbs = { lo: 0, hi: 0 };

/**
 * Decimal digits `b[from, to)` (already checked to fit 64 bits) into
 * `limbs`: the leading `len % 4` digits one by one, then four at a time
 * from one little-endian word (the classic SWAR digit combine), each step
 * `hi:lo * 10^k + chunk` with every product below 2^53.
 */
export function digitsToLimbs(b: Uint8Array, dv: DataView, from: number, to: number): void {
  let lo = 0;
  let hi = 0;
  let i = from;
  const head = from + ((to - from) & 3);
  for (; i < head; i++) lo = lo * 10 + (b[i]! - DIGIT_0); // at most three digits
  for (; i < to; i += 4) {
    let x = dv.getInt32(i, true) - 0x30303030;
    x = (x * 10 + (x >>> 8)) & 0x00ff00ff;
    const chunk = (x & 0xff) * 100 + (x >>> 16);
    const t = lo * 10000 + chunk;
    const carry = Math.floor(t * INV_TWO32);
    lo = t >>> 0;
    hi = hi * 10000 + carry;
  }
  limbs.lo = lo;
  limbs.hi = hi >>> 0;
}

/** `limbs` times 10^`zeros` (3, 6 or 9; the caller checked that the result fits). */
export function scaleLimbs(zeros: number): void {
  let lo = limbs.lo;
  let hi = limbs.hi;
  for (let z = zeros; z > 0; z -= 3) {
    const t = lo * 1000;
    const carry = Math.floor(t * INV_TWO32);
    lo = t >>> 0;
    hi = hi * 1000 + carry;
  }
  limbs.lo = lo;
  limbs.hi = hi >>> 0;
}

/** Two's-complement negation of `limbs`, as Go stores a negative int64. */
export function negateLimbs(): void {
  const lo = limbs.lo;
  limbs.lo = (~lo + 1) >>> 0;
  limbs.hi = (~limbs.hi + (lo === 0 ? 1 : 0)) >>> 0;
}

/** Bytes of the varint of an unsigned 32-bit `n` (the protobuf writer's rule). */
export const varintLen32 = varintSize;

/** Bytes of the varint of the 64-bit value `hi:lo`. */
export function varintLen64(lo: number, hi: number): number {
  if (hi === 0) return varintLen32(lo);
  // 32 bits of `lo` plus those of `hi`, seven per byte.
  return hi < 0x8 ? 5 : hi < 0x400 ? 6 : hi < 0x20000 ? 7 : hi < 0x1000000 ? 8 : hi < 0x80000000 ? 9 : 10;
}

/** Write the varint of an unsigned 32-bit `n` at `pos`; returns the end. */
export function writeVarint32(out: Uint8Array, pos: number, n: number): number {
  while (n > 0x7f) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

/** Write the varint of the 64-bit value `hi:lo` at `pos`; returns the end. */
export function writeVarint64(out: Uint8Array, pos: number, lo: number, hi: number): number {
  while (hi !== 0) {
    out[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return writeVarint32(out, pos, lo);
}

/** Powers of ten exact as doubles (10^22 is the last). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;

/**
 * The double of a decimal float token `b[from, to)`, given what the
 * scanner collected: the mantissa digits as a double `m` (exact while
 * below 2^53), the power of ten to apply and the sign. With an exact
 * mantissa and |exp10| <= 22 one IEEE multiply or divide is correctly
 * rounded (Clinger's fast path), hence equal to `Number(text)`; anything
 * else is handed to `Number` on the ASCII text.
 */
export function floatValue(
  b: Uint8Array,
  from: number,
  to: number,
  m: number,
  exp10: number,
  neg: boolean,
): number {
  let v: number;
  if (m === 0) v = 0;
  else if (m < MAX_EXACT && exp10 >= -22 && exp10 <= 22) {
    v = exp10 >= 0 ? m * POW10[exp10]! : m / POW10[-exp10]!;
  } else return Number(asciiSlice(asBuffer(b), from, to));
  return neg ? -v : v;
}

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Write `v` as protobuf fixed64 (little-endian IEEE double) at `pos`; returns the end. */
export function writeDoubleLE(out: Uint8Array, pos: number, v: number): number {
  f64[0] = v;
  if (LITTLE_ENDIAN) for (let k = 0; k < 8; k++) out[pos + k] = f64bytes[k]!;
  else for (let k = 0; k < 8; k++) out[pos + k] = f64bytes[7 - k]!;
  return pos + 8;
}
