/**
 * Direct access to Node's native string <-> UTF-8 buffer routines.
 *
 * `Buffer#toString(enc, start, end)` and `Buffer#write` look the encoding up
 * and re-validate their arguments on every call; the methods behind them
 * (`utf8Slice`, `latin1Slice`, `utf8Write`) are what protobufjs and undici
 * call on their hot paths, and are measurably cheaper for the many short
 * strings of a point. They are not in Node's typings, so this module checks
 * they exist once and falls back to the documented API otherwise.
 */

interface NativeBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number, max: number): number;
}

const proto = Buffer.prototype as Partial<NativeBuffer>;
const HAS_NATIVE =
  typeof proto.utf8Slice === 'function' &&
  typeof proto.latin1Slice === 'function' &&
  typeof proto.utf8Write === 'function';

/** A `Buffer` view over the same memory as `u8` (no copy). */
export function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/** Decode `buf[start, end)` as UTF-8 (invalid sequences become U+FFFD). */
export const utf8Slice: (buf: Buffer, start: number, end: number) => string = HAS_NATIVE
  ? (buf, start, end) => (buf as NativeBuffer).utf8Slice(start, end)
  : (buf, start, end) => buf.toString('utf8', start, end);

/** Decode `buf[start, end)` byte for byte; only for bytes known to be ASCII. */
export const asciiSlice: (buf: Buffer, start: number, end: number) => string = HAS_NATIVE
  ? (buf, start, end) => (buf as NativeBuffer).latin1Slice(start, end)
  : (buf, start, end) => buf.toString('latin1', start, end);

/**
 * Write `s` as UTF-8 at `offset`; returns the bytes written. The caller
 * guarantees room for `s.length * 3` bytes, the worst case.
 */
export const utf8Write: (buf: Buffer, s: string, offset: number) => number = HAS_NATIVE
  ? (buf, s, offset) => (buf as NativeBuffer).utf8Write(s, offset, buf.length - offset)
  : (buf, s, offset) => buf.write(s, offset, 'utf8');
