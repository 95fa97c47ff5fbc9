/**
 * The protobuf writer for runs of log messages (log-wire.ts: the byte
 * road's `encodeLogSpans`, and `encodeLogEntries` for the runs it finds in
 * message-road entries): messages all of one shape, given as byte spans
 * of the buffer written to. Within such a run only the message, the counter and the time
 * change, and the lengths that follow from them; every other byte of a
 * point is the same as in the point before it.
 *
 * So a point is written as a copy of the previous point's bytes up to its
 * message, with the few varints that differ written over the copy, then
 * its message. That holds while each varint has the same size as in the
 * previous point; when one does not (a counter passing 127, a message
 * passing 127 bytes), that point is written piece by piece from the
 * shape's plan and becomes the one the next points copy.
 *
 * Why: measured here, a native copy (`copyWithin`, `set`, `Buffer#copy`)
 * costs 40–65 ns a call whatever its length, and copying small pieces in
 * JS ~5 ns a byte. The general writer (`LogWireShape.writePb`) made four
 * native copies a point plus its bookkeeping; this makes two (the head, the
 * message). bench/codec/log-wire.bench.ts measures it.
 *
 * The bytes are exactly the general writer's; the tests compare them.
 */
import { TAG_POINT_FIELD, TAG_POINT_TIME, TAG_POINTS_ARR } from './pb-schema.js';
import { varintSize } from './pb-writer.js';

/** A shape's protobuf pieces as the general writer keeps them. */
export interface PbPieces {
  /** Name, tags and the constant fields that sort before the first per-message field. */
  prefix: Uint8Array;
  /** The fields after the prefix, in key order: constant (`bytes`: the whole `fields` entry) or per message. */
  rest: readonly PbRestPiece[];
}
export type PbRestPiece = { kind: 'const'; bytes: Uint8Array } | { kind: 'int' | 'message'; hdr: Uint8Array };

/** What comes between two constant blocks. */
const OP_INT_LEN = 0;
const OP_INT = 1;
const OP_MSG_LEN = 2;
const OP_MSG = 3;

const TWO_32 = 0x1_0000_0000;
const base = new Uint32Array(2);

/**
 * One shape's point layout: block 0, then op 0, block 1, op 1, …, the last
 * block, then the time. A field's tag byte belongs to the block before it.
 */
export class PbSpanPlan {
  /** Every block's bytes, one after the other: written once per run before its points, and copied from there. */
  readonly #template: Buffer;
  /** Block b is #template[#blockAt[b], #blockAt[b + 1]). */
  readonly #blockAt: Int32Array;
  readonly #ops: Uint8Array;
  readonly #intHdrBytes: number;
  readonly #msgHdrBytes: number;
  readonly #hasInt: boolean;
  /** Nothing but the time follows the message (no block bytes, no integer). */
  readonly #timeOnlyTail: boolean;

  constructor(pieces: PbPieces) {
    const ops: number[] = [];
    const blocks: number[][] = [];
    let cur: number[] = [...pieces.prefix];
    let intHdr = 0;
    let msgHdr = 0;
    const flush = () => {
      blocks.push(cur);
      cur = [];
    };
    for (const p of pieces.rest) {
      if (p.kind === 'const') {
        cur.push(...p.bytes);
        continue;
      }
      cur.push(TAG_POINT_FIELD);
      flush();
      ops.push(p.kind === 'int' ? OP_INT_LEN : OP_MSG_LEN);
      cur.push(...p.hdr);
      flush();
      ops.push(p.kind === 'int' ? OP_INT : OP_MSG);
      if (p.kind === 'int') intHdr = p.hdr.length;
      else msgHdr = p.hdr.length;
    }
    flush();
    this.#ops = Uint8Array.from(ops);
    this.#template = Buffer.from(blocks.flat());
    this.#blockAt = new Int32Array(blocks.length + 1);
    for (let i = 0; i < blocks.length; i++) this.#blockAt[i + 1] = this.#blockAt[i]! + blocks[i]!.length;
    this.#intHdrBytes = intHdr;
    this.#msgHdrBytes = msgHdr;
    this.#hasInt = ops.includes(OP_INT);
    const msgOp = ops.indexOf(OP_MSG);
    this.#timeOnlyTail = msgOp === ops.length - 1 && blocks[blocks.length - 1]!.length === 0;
  }

  /** Bytes `write` puts before the points. */
  get templateBytes(): number {
    return this.#template.length;
  }

  /**
   * Points i < count, message i being `buf[starts[i], ends[i])`, written
   * from `buf[at + templateBytes]` (room ensured, after every span; the
   * template goes first, at `at`); `out[i]` gets each point's end relative
   * to `at + templateBytes`. The integer field (if any) is
   * `counterStart + i`, the time `baseNs + i` µs. Returns the end, or -1
   * when a counter falls outside [0, 2^31) (the general writer's case).
   */
  write(
    buf: Buffer,
    at: number,
    starts: Uint32Array,
    ends: Uint32Array,
    count: number,
    counterStart: number,
    baseNs: bigint,
    out: Uint32Array,
  ): number {
    this.writeTemplate(buf, at);
    const origin = at + this.#template.length;
    return this.writeRun(buf, at, origin, starts, ends, 0, count, counterStart, baseNs, out, origin);
  }

  /** Put the template at `tpl` (`templateBytes` of room), for `writeRun`. */
  writeTemplate(buf: Buffer, tpl: number): void {
    buf.set(this.#template, tpl);
  }

  /**
   * Points k in [first, first + count), message k being
   * `buf[starts[k], ends[k])`, written from `at`, the template being at
   * `tpl` (`writeTemplate`, earlier in the same buffer); `out[k]` gets
   * each point's end less `outOrigin`. The integer field (if any) is
   * `counterStart + (k - first)`, the time `baseNs + (k - first)` µs.
   * Returns the end, or -1 (nothing written) when a counter falls outside
   * [0, 2^31).
   */
  writeRun(
    buf: Buffer,
    tpl: number,
    at: number,
    starts: Uint32Array,
    ends: Uint32Array,
    first: number,
    count: number,
    counterStart: number,
    baseNs: bigint,
    out: Uint32Array,
    outOrigin: number,
  ): number {
    const hasInt = this.#hasInt;
    if (hasInt && (counterStart < 0 || counterStart + count > 0x8000_0000)) return -1;
    const constBytes = this.#template.length;
    const intHdrBytes = this.#intHdrBytes;
    const msgHdrBytes = this.#msgHdrBytes;
    const timeOnlyTail = this.#timeOnlyTail;
    splitNs(baseNs, base);
    let lo = base[0]!;
    let hi = base[1]!;
    // The previous point: where it starts, its varints' sizes, and where
    // its per-point values sit (`off` relative to its start before the
    // message, to the message's end after it).
    let prev = -1;
    let prevSizes = -1;
    let prevMsgLen = 0;
    const off = this.#offsets;
    for (let i = first, last = first + count; i < last; i++) {
      const a = starts[i]!;
      const msgLen = ends[i]! - a;
      const v = counterStart + (i - first);
      const vSize = hasInt ? varintSize(v) : 0;
      const intLen = intHdrBytes + vSize;
      const msgLenSize = varintSize(msgLen);
      const msgInner = msgHdrBytes + msgLenSize + msgLen;
      const innerSize = varintSize(msgInner);
      const intLenSize = hasInt ? varintSize(intLen) : 0;
      const timed = lo !== 0 || hi !== 0;
      const tSize = timed ? varintSizeHalves(lo, hi) : 0;
      const body =
        constBytes + innerSize + msgLenSize + msgLen + intLenSize + vSize + (timed ? 1 + tSize : 0);
      const bodySize = varintSize(body);
      const sizes = bodySize | (innerSize << 4) | (msgLenSize << 8) | (vSize << 12) | (tSize << 16);
      const start = at;
      if (sizes === prevSizes) {
        const headBytes = off[OFF_MSG]!;
        buf.copyWithin(at, prev, prev + headBytes);
        putVarint31(buf, at + 1, body);
        putVarint31(buf, at + off[OFF_MSG_LEN]!, msgInner);
        putVarint31(buf, at + off[OFF_MSG_SIZE]!, msgLen);
        if (hasInt && off[OFF_INT]! >= 0) putVarint31(buf, at + off[OFF_INT]!, v);
        at += headBytes;
        at = copyMessage(buf, at, a, msgLen);
        if (timeOnlyTail) {
          if (timed) {
            buf[at++] = TAG_POINT_TIME;
            at = putVarintHalves(buf, at, lo, hi);
          }
        } else {
          const tailBytes = off[OFF_TAIL]!;
          const prevMsgEnd = prev + headBytes + prevMsgLen;
          buf.copyWithin(at, prevMsgEnd, prevMsgEnd + tailBytes);
          if (hasInt && off[OFF_INT_TAIL]! >= 0) putVarint31(buf, at + off[OFF_INT_TAIL]!, v);
          if (timed) putVarintHalves(buf, at + tailBytes - tSize, lo, hi);
          at += tailBytes;
        }
      } else {
        at = this.#writeWhole(buf, at, tpl, a, msgLen, v, intLen, msgInner, body, timed, lo, hi);
        prevSizes = sizes;
      }
      prev = start;
      prevMsgLen = msgLen;
      out[i] = at - outOrigin;
      lo += 1000;
      if (lo >= TWO_32) {
        lo -= TWO_32;
        hi = (hi + 1) >>> 0;
      }
    }
    return at;
  }

  /**
   * Where the per-point values sit in the last point written whole (see
   * OFF_*), which every point copied from it shares. -1: not there.
   */
  readonly #offsets = new Int32Array(OFF_COUNT);

  /** One point piece by piece from the template at `tpl`; records its layout in #offsets. */
  #writeWhole(
    buf: Buffer,
    at: number,
    tpl: number,
    a: number,
    msgLen: number,
    v: number,
    intLen: number,
    msgInner: number,
    body: number,
    timed: boolean,
    lo: number,
    hi: number,
  ): number {
    const off = this.#offsets;
    off.fill(-1);
    const blockAt = this.#blockAt;
    const ops = this.#ops;
    const start = at;
    let msgEnd = -1;
    buf[at++] = TAG_POINTS_ARR;
    at = putVarint31(buf, at, body);
    at = putBlock(buf, at, tpl + blockAt[0]!, tpl + blockAt[1]!);
    for (let k = 0; k < ops.length; k++) {
      switch (ops[k]) {
        case OP_INT_LEN:
          at = putVarint31(buf, at, intLen);
          break;
        case OP_INT:
          if (msgEnd < 0) off[OFF_INT] = at - start;
          else off[OFF_INT_TAIL] = at - msgEnd;
          at = putVarint31(buf, at, v);
          break;
        case OP_MSG_LEN:
          off[OFF_MSG_LEN] = at - start;
          at = putVarint31(buf, at, msgInner);
          break;
        default:
          off[OFF_MSG_SIZE] = at - start;
          at = putVarint31(buf, at, msgLen);
          off[OFF_MSG] = at - start;
          at = copyMessage(buf, at, a, msgLen);
          msgEnd = at;
      }
      at = putBlock(buf, at, tpl + blockAt[k + 1]!, tpl + blockAt[k + 2]!);
    }
    if (timed) {
      buf[at++] = TAG_POINT_TIME;
      at = putVarintHalves(buf, at, lo, hi);
    }
    off[OFF_TAIL] = at - msgEnd;
    return at;
  }
}

/** #offsets slots: from the point's start, the message's length varints and the message. */
const OFF_MSG_LEN = 0;
const OFF_MSG_SIZE = 1;
const OFF_MSG = 2;
/** The integer's value, when it comes before the message (from the start) or after it (from the message's end). */
const OFF_INT = 3;
const OFF_INT_TAIL = 4;
/** Bytes after the message. */
const OFF_TAIL = 5;
const OFF_COUNT = 6;

function copyMessage(buf: Buffer, at: number, a: number, n: number): number {
  if (n <= 16) for (let j = 0; j < n; j++) buf[at + j] = buf[a + j]!;
  else buf.copyWithin(at, a, a + n);
  return at + n;
}

/** `buf[from, to)` (the template, before `at`) copied to `at`; returns the end. */
function putBlock(buf: Buffer, at: number, from: number, to: number): number {
  const n = to - from;
  if (n > 24) buf.copyWithin(at, from, to);
  else for (let j = 0; j < n; j++) buf[at + j] = buf[from + j]!;
  return at + n;
}

/** A varint of 0 ≤ n < 2^31. */
function putVarint31(buf: Buffer, at: number, n: number): number {
  while (n > 0x7f) {
    buf[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[at++] = n;
  return at;
}

/** Size of the unsigned 64-bit varint whose 32-bit halves are `lo` and `hi`. */
export function varintSizeHalves(lo: number, hi: number): number {
  if (hi === 0) return varintSize(lo);
  // 32 bits in the low half, then 7 bits per byte for what is left above bit 28.
  let n = 5;
  let rest = hi >>> 3;
  while (rest > 0) {
    n++;
    rest >>>= 7;
  }
  return n;
}

export function putVarintHalves(buf: Buffer, at: number, lo: number, hi: number): number {
  while (hi > 0 || lo > 0x7f) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[at++] = lo;
  return at;
}

// A bigint stored into a BigInt64Array is split into 32-bit halves natively; varints are then
// written from two numbers (a bigint shift loop costs ~1 µs per time stamp).
const i64 = new BigInt64Array(1);
const halves = new Uint32Array(i64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** `v` as unsigned 32-bit halves (two's complement when negative): `into[0]` low, `into[1]` high. */
export function splitNs(v: bigint, into: Uint32Array): void {
  i64[0] = v;
  into[0] = halves[LO]!;
  into[1] = halves[HI]!;
}
