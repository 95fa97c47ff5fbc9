/**
 * A cursor over protobuf wire bytes: varints, fixed64, length-delimited
 * strings and bytes, and skipping of unknown fields by wire type.
 *
 * Bad input is reported by throwing `PbWireError` with the byte offset; the
 * decoder catches it at its top level and turns it into a `DecodeError`
 * value, so the happy path carries no result objects.
 *
 * Speed notes: a 64-bit varint is read into two 32-bit halves (`lo`, `hi`)
 * on the reader itself, so no object is allocated per number, and the bigint
 * is made from them through a typed array. Point keys and small tag values repeat
 * across a batch, so short ASCII strings go through a direct-mapped cache of
 * already-made JS strings instead of a native decode each time; the cache
 * keeps each string's bytes (compared faster than its chars) and what the
 * intake checks need to know about it (`flags`).
 */
import { UInt } from '../value.js';
import { asBuffer, asciiSlice, utf8Slice } from './fast-buffer.js';
import { WIRE_EGROUP, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_SGROUP, WIRE_VARINT } from './pb-schema.js';

export class PbWireError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'PbWireError';
    this.offset = offset;
  }
}

const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
const CACHE_MAX_LEN = 32;
const stringCache: string[] = new Array<string>(1 << CACHE_BITS).fill('');
/** The bytes of `stringCache[slot]` at `slot * CACHE_MAX_LEN`. */
const cacheBytes = new Uint8Array((1 << CACHE_BITS) * CACHE_MAX_LEN);
const cacheFlags = new Uint8Array(1 << CACHE_BITS);

/** `flags` bit: fine as a key for the intake checks (non-empty, no `.`, newline or backslash). */
export const TEXT_PLAIN_KEY = 1;
/** `flags` bit: fine as a tag value for the intake checks (no newline or backslash). */
export const TEXT_PLAIN_VALUE = 2;

/** Per byte: which plainness it breaks; non-ASCII breaks the cache's premise. */
const NOT_KEY = 1;
const NOT_VALUE = 2;
const NOT_ASCII = 4;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS.fill(NOT_ASCII | NOT_KEY | NOT_VALUE, 0x80);
BYTE_CLASS[0x0a] = NOT_KEY | NOT_VALUE; // newline
BYTE_CLASS[0x5c] = NOT_KEY | NOT_VALUE; // backslash
BYTE_CLASS[0x2e] = NOT_KEY; // dot

/** Groups nest; a hostile body must not recurse without bound. */
const MAX_GROUP_DEPTH = 64;

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
// Reading a BigInt64Array element makes the bigint natively in one step:
// several times cheaper than combining halves with bigint arithmetic.
const i64 = new BigInt64Array(1);
const u64 = new BigUint64Array(i64.buffer);
const halves = new Uint32Array(i64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

export class PbReader {
  readonly buf: Buffer;
  pos = 0;
  /** Halves of the last 64-bit varint read by `varint64`. */
  lo = 0;
  hi = 0;
  /**
   * `TEXT_PLAIN_*` bits of the last `string`/`text`; left 0 (unknown) for
   * strings outside the cache, which the intake checks then scan themselves.
   */
  flags = 0;

  /** Multi-byte reads over `buf`. */
  readonly view: DataView;

  constructor(body: Uint8Array) {
    const buf = asBuffer(body);
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(message: string, at = this.pos): never {
    throw new PbWireError(message, at);
  }

  /** A varint that must fit 32 bits (tags, lengths). */
  uint32(limit: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < limit) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    const start = pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) this.fail('truncated varint', start);
      const b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    if (pos >= limit) this.fail('truncated varint', start);
    const b = buf[pos++]!;
    if (b > 0x0f) this.fail('varint does not fit 32 bits', start);
    this.pos = pos;
    return (result | (b << 28)) >>> 0;
  }

  /** Read a varint of up to 64 bits into `lo`/`hi` (both unsigned 32-bit). */
  varint64(limit: number): void {
    const buf = this.buf;
    let pos = this.pos;
    const start = pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (pos >= limit) this.fail('truncated varint', start);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    if (pos >= limit) this.fail('truncated varint', start);
    b = buf[pos++]!;
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (pos >= limit) this.fail('truncated varint', start);
        b = buf[pos++]!;
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b >= 0x80) this.fail('varint longer than 10 bytes', start);
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  int64(limit: number): bigint {
    this.varint64(limit);
    halves[LO] = this.lo;
    halves[HI] = this.hi;
    return i64[0]!;
  }

  uint64(limit: number): UInt {
    this.varint64(limit);
    halves[LO] = this.lo;
    halves[HI] = this.hi;
    return new UInt(u64[0]!);
  }

  bool(limit: number): boolean {
    const pos = this.pos;
    if (pos < limit) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    this.varint64(limit);
    return this.lo !== 0 || this.hi !== 0;
  }

  double(limit: number): number {
    const pos = this.pos;
    if (pos + 8 > limit) this.fail('truncated fixed64', pos);
    const buf = this.buf;
    // fixed64 is little-endian on the wire, a Float64Array native-endian.
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) f64bytes[i] = buf[pos + i]!;
    else for (let i = 0; i < 8; i++) f64bytes[7 - i] = buf[pos + i]!;
    this.pos = pos + 8;
    return f64[0]!;
  }

  /** Read a length prefix; returns the end offset of the payload. */
  lenEnd(limit: number): number {
    const at = this.pos;
    const n = this.uint32(limit);
    const end = this.pos + n;
    if (end > limit)
      this.fail(`length ${n} runs past the end of its message (${limit - this.pos} bytes left)`, at);
    return end;
  }

  string(limit: number): string {
    const end = this.lenEnd(limit);
    const s = this.text(this.pos, end);
    this.pos = end;
    return s;
  }

  bytes(limit: number): Uint8Array {
    const end = this.lenEnd(limit);
    // A copy: a view would keep the whole request body alive.
    const out = new Uint8Array(this.buf.subarray(this.pos, end));
    this.pos = end;
    return out;
  }

  text(start: number, end: number): string {
    const n = end - start;
    if (n === 0) {
      this.flags = TEXT_PLAIN_VALUE;
      return '';
    }
    const buf = this.buf;
    if (n > CACHE_MAX_LEN) {
      this.flags = 0;
      return utf8Slice(buf, start, end);
    }
    // Slot from the length and three sampled bytes: no pass over the bytes
    // before the one comparison pass. Cached strings are pure ASCII, so a
    // full match also proves the bytes are ASCII.
    const h =
      Math.imul(n, 0x9e3779b1) ^
      Math.imul(buf[start]!, 0x85ebca6b) ^
      Math.imul(buf[end - 1]!, 0xc2b2ae35) ^
      Math.imul(buf[start + (n >> 1)]!, 0x27d4eb2f);
    const slot = (h ^ (h >>> 15)) & CACHE_MASK;
    const hit = stringCache[slot]!;
    if (hit.length === n) {
      const at = slot * CACHE_MAX_LEN - start;
      let j = start;
      while (j < end && cacheBytes[at + j] === buf[j]) j++;
      if (j === end) {
        this.flags = cacheFlags[slot]!;
        return hit;
      }
    }
    let cls = 0;
    for (let i = start; i < end; i++) cls |= BYTE_CLASS[buf[i]!]!;
    if ((cls & NOT_ASCII) !== 0) {
      this.flags = 0;
      return utf8Slice(buf, start, end);
    }
    const fresh = asciiSlice(buf, start, end);
    const flags =
      ((cls & NOT_KEY) === 0 ? TEXT_PLAIN_KEY : 0) | ((cls & NOT_VALUE) === 0 ? TEXT_PLAIN_VALUE : 0);
    stringCache[slot] = fresh;
    cacheFlags[slot] = flags;
    const at = slot * CACHE_MAX_LEN - start;
    for (let i = start; i < end; i++) cacheBytes[at + i] = buf[i]!;
    this.flags = flags;
    return fresh;
  }

  /** Skip the value of a field whose tag was just read. */
  skip(tag: number, limit: number, depth = 0): void {
    const at = this.pos;
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint64(limit);
        return;
      case WIRE_I64:
        if (this.pos + 8 > limit) this.fail('truncated fixed64', at);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd(limit);
        return;
      case WIRE_I32:
        if (this.pos + 4 > limit) this.fail('truncated fixed32', at);
        this.pos += 4;
        return;
      case WIRE_SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) this.fail('groups nested too deep', at);
        const field = tag >>> 3;
        while (true) {
          if (this.pos >= limit) this.fail(`unterminated group (field ${field})`, at);
          const t = this.uint32(limit);
          if ((t & 7) === WIRE_EGROUP) {
            if (t >>> 3 !== field) this.fail(`group of field ${field} closed by field ${t >>> 3}`, at);
            return;
          }
          checkTag(this, t);
          this.skip(t, limit, depth + 1);
        }
      }
      default:
        this.fail(`invalid wire type ${tag & 7} (field ${tag >>> 3})`, at);
    }
  }
}

/** Reject tags no encoder can produce (field number 0, a stray end-group). */
export function checkTag(r: PbReader, tag: number): void {
  if (tag >>> 3 === 0) r.fail('field number 0', r.pos - 1);
  if ((tag & 7) === WIRE_EGROUP) r.fail(`unexpected end-group (field ${tag >>> 3})`, r.pos - 1);
}
