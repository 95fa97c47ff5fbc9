/**
 * Protobuf wire writer into one growable buffer, reused across calls.
 *
 * Length-delimited fields need their length before their bytes. Instead of a
 * sizing pass over every point (which would walk each string twice), the
 * writer reserves the varint bytes a *guess* of the length needs (strings
 * assumed ASCII, a point the size of the previous one), writes the content,
 * then writes the real length; in the rare case its varint is shorter or
 * longer than reserved, the content is moved by that difference. Callers
 * `ensure` room for a whole field before writing it, so the primitive
 * writes below do no bounds checks of their own.
 *
 * Strings: a JS char loop costs a few ns per char and a native
 * `utf8Write` a fixed ~100 ns per call, so short strings (keys, tag values)
 * are copied by hand and long ones (messages) natively. Either way the
 * byte count tells whether the string was ASCII, which is all the length
 * guess needs.
 */
import { utf8Write } from './fast-buffer.js';

const INITIAL_SIZE = 64 * 1024;
/** Larger scratch buffers are not kept between calls. */
const MAX_KEPT_SIZE = 8 * 1024 * 1024;
/**
 * Up to this many UTF-16 units a JS loop beats the native call (measured
 * crossover ~24-32 on Node 20). Below 128 so the length is one varint byte.
 */
const SHORT_STRING = 24;

let scratch: Buffer | null = null;
/** Size to start the next writer with when the last one kept its buffer. */
let nextSize = INITIAL_SIZE;

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
// Storing a bigint into a BigInt64Array splits it into 32-bit halves
// natively (two's complement, so uint64 values above 2^63 keep their bits).
const i64 = new BigInt64Array(1);
const halves = new Uint32Array(i64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/** Bytes of the varint of `n` (0 <= n < 2^35). */
export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

export class PbWriter {
  buf: Buffer;
  pos = 0;

  constructor() {
    this.buf = scratch ?? Buffer.allocUnsafe(nextSize);
    scratch = null; // an encode nested in another must not share it
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.#grow(n);
  }

  #grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /**
   * The bytes written; the writer is spent. A mostly full buffer is handed
   * out as is (copying a large batch costs more than a fresh buffer next
   * time); a mostly empty one is copied out and kept for the next writer.
   */
  finish(): Buffer {
    const buf = this.buf;
    const n = this.pos;
    if (n * 2 >= buf.length) {
      nextSize = Math.min(buf.length, MAX_KEPT_SIZE);
      return buf.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    buf.copy(out, 0, 0, n);
    if (buf.length <= MAX_KEPT_SIZE) scratch = buf;
    return out;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** Two bytes, e.g. a tag and a one-byte value. */
  byte2(a: number, b: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = a;
    buf[pos + 1] = b;
    this.pos = pos + 2;
  }

  /** Varint of a non-negative integer below 2^32. */
  uvarint(n: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** Varint of the 64-bit value `hi:lo` (both unsigned 32-bit). */
  varint64(lo: number, hi: number): void {
    if (hi === 0) {
      this.uvarint(lo);
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** int64 or uint64 as a plain (two's complement, not zigzag) varint. */
  int64(v: bigint): void {
    i64[0] = v;
    this.varint64(halves[LO]!, halves[HI]!);
  }

  double(x: number): void {
    f64[0] = x;
    const buf = this.buf;
    const pos = this.pos;
    // fixed64 is little-endian on the wire, a Float64Array native-endian.
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) buf[pos + i] = f64bytes[i]!;
    else for (let i = 0; i < 8; i++) buf[pos + i] = f64bytes[7 - i]!;
    this.pos = pos + 8;
  }

  /**
   * Varint of `n` (0 <= n < 2^32) at `at`, leaving `pos` alone; returns the
   * index after it. For callers that lay out a whole field by hand.
   */
  varintAt(at: number, n: number): number {
    const buf = this.buf;
    while (n > 0x7f) {
      buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[at++] = n;
    return at;
  }

  /**
   * Copy `s` to `at` char for char when it is pure ASCII (room ensured by
   * the caller); false as soon as a char is not, with junk left behind
   * for the caller's slow path to overwrite. `pos` is left alone.
   */
  asciiAt(at: number, s: string): boolean {
    const buf = this.buf;
    const n = s.length;
    // No branch per char: non-ASCII is rare, and its junk gets overwritten.
    let any = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      any |= c;
      buf[at + i] = c;
    }
    return any < 0x80;
  }

  /**
   * Write `s` as UTF-8 at `at`, natively when long, leaving `pos` alone;
   * true when it was pure ASCII (exactly `s.length` bytes written).
   */
  textAt(at: number, s: string): boolean {
    const n = s.length;
    if (n <= SHORT_STRING) return this.asciiAt(at, s);
    return utf8Write(this.buf, s, at) === n;
  }

  /** `tag`, then `s` length-delimited. Room: `s.length * 3 + 6`. */
  lenString(tag: number, s: string): void {
    const buf = this.buf;
    const n = s.length;
    let pos = this.pos;
    buf[pos++] = tag;
    if (n <= SHORT_STRING) {
      const at = pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        buf[pos] = n;
        this.pos = at + n;
        return;
      }
    }
    const guess = varintSize(n);
    const written = utf8Write(buf, s, pos + guess);
    if (guess === 1 && written < 0x80) {
      buf[pos] = written;
      this.pos = pos + 1 + written;
      return;
    }
    this.pos = pos + guess + written;
    this.#patchLength(pos, guess, written);
  }

  bytesField(tag: number, d: Uint8Array): void {
    this.buf[this.pos++] = tag;
    this.uvarint(d.length);
    this.buf.set(d, this.pos);
    this.pos += d.length;
  }

  /** Start a length-delimited body, reserving `guess` bytes for its length. */
  beginLen(guess: number): number {
    const start = this.pos + guess;
    this.pos = start;
    return start * 8 + guess;
  }

  /** Close the body begun at `mark`; returns the varint size actually used. */
  endLen(mark: number): number {
    const guess = mark % 8;
    const start = (mark - guess) / 8;
    const n = this.pos - start;
    if (guess === 1 && n < 0x80) {
      this.buf[start - 1] = n;
      return 1;
    }
    return this.#patchLength(start - guess, guess, n);
  }

  /** Write length `n` at `at`, where `guess` bytes were reserved before the `n` content bytes. */
  #patchLength(at: number, guess: number, n: number): number {
    const need = varintSize(n);
    if (need !== guess) {
      const from = at + guess;
      if (need > guess) this.ensure(need - guess);
      this.buf.copyWithin(at + need, from, from + n);
      this.pos += need - guess;
    }
    const end = this.pos;
    this.pos = at;
    this.uvarint(n);
    this.pos = end;
    return need;
  }
}
