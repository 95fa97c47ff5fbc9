/**
 * Log messages straight to an offload wire, without building points: the
 * logging input's fast road. Every point of one origin (a tailed file, a
 * socket input) has the same name, tags and constant fields, and differs
 * only in its message, a counter or two and its time. So the constant
 * parts are encoded once per origin, by the ordinary encoders, and each
 * message costs one length computation and one copy.
 *
 * The output is byte for byte what `encodeProtobuf` / `encodeLineProtocol`
 * write for the same points (tags, then fields, each sorted by key), so
 * a receiver cannot tell the roads apart; the tests compare the bytes.
 */
import { Point } from '../point.js';
import { utf8Write } from './fast-buffer.js';
import { type PbPieces, PbSpanPlan, putVarintHalves, splitNs, varintSizeHalves } from './log-wire-spans.js';
import { escapeFieldKey, escapeMeasurement, escapeStringValue, escapeTag } from './lp-escape.js';
import type { ForwardedPoints } from './lp-forward.js';
import { encodeProtobuf } from './pb-encode.js';
import {
  TAG_FIELD_I,
  TAG_FIELD_KEY,
  TAG_FIELD_S,
  TAG_POINT_FIELD,
  TAG_POINT_TIME,
  TAG_POINTS_ARR,
} from './pb-schema.js';
import { varintSize } from './pb-writer.js';
import { compareUtf8 } from './utf8.js';

export interface LogShape {
  name: string;
  /** Every tag of the points (host tags included). */
  tags: ReadonlyMap<string, string>;
  /** String fields with the same value on every point (e.g. `filepath`, a socket's `status`). */
  constFields: ReadonlyMap<string, string>;
  /** The per-message string field (`message`). */
  messageKey: string;
  /** Per-message integer fields, in the order `LogEntry.ints` gives their values. */
  intKeys: readonly string[];
}

export interface LogEntry {
  message: string;
  /** Values of `LogShape.intKeys`, same order. */
  ints: readonly number[];
  /**
   * The point's time is `timeNs` plus `plusUs` microseconds: the messages
   * of one read share one base and differ by a small step, so no bigint is
   * made per message. `plusUs` is a non-negative integer below 2^31.
   */
  timeNs: bigint;
  plusUs: number;
}

/** The entry's time in ns, as a bigint (for points and tests). */
export function entryTimeNs(e: LogEntry): bigint {
  return e.plusUs === 0 ? e.timeNs : e.timeNs + BigInt(e.plusUs) * 1000n;
}

type Segment =
  | { kind: 'const'; pb: Buffer; lp: string }
  | { kind: 'message'; hdr: Uint8Array; lpKey: string }
  | { kind: 'int'; index: number; hdr: Uint8Array; lpKey: string };

/** The encoded constant parts of one shape, for both wires. */
export class LogWireShape {
  /** Name, tags and the constant fields that sort before the first per-message field, in one piece. */
  readonly #pbPrefix: Buffer;
  /** The fields after the prefix, in key order. */
  readonly #pbRest: Segment[];
  readonly #constRestBytes: number;
  readonly #lpHead: string;
  readonly #segments: Segment[];
  /** The line's constant bytes around its per-message parts: piece, part, piece, part, …, piece. */
  readonly #lpPieces: Buffer[];
  readonly #lpParts: ({ kind: 'message' } | { kind: 'int'; index: number })[];
  readonly #lpConstBytes: number;
  readonly #intCount: number;
  #spanPlan: PbSpanPlan | null = null;

  constructor(shape: LogShape) {
    this.#intCount = shape.intKeys.length;
    // Name and tags: a point with nothing else, encoded by the ordinary encoders.
    const head = new Point(shape.name, new Map(shape.tags), new Map(), 0n);
    const pbHead = pbPointBody(head);
    let lp = escapeMeasurement(shape.name);
    const tagKeys = [...shape.tags.keys()].sort(compareUtf8);
    for (const k of tagKeys) lp += `,${escapeTag(k)}=${escapeTag(shape.tags.get(k)!)}`;
    this.#lpHead = lp;

    const keys: string[] = [...shape.constFields.keys(), shape.messageKey, ...shape.intKeys];
    keys.sort(compareUtf8);
    this.#segments = keys.map((k): Segment => {
      const c = shape.constFields.get(k);
      if (c !== undefined && k !== shape.messageKey) {
        const p = new Point('', new Map(), new Map([[k, c]]), 0n);
        return { kind: 'const', pb: pbPointBody(p), lp: `${escapeFieldKey(k)}="${escapeStringValue(c)}"` };
      }
      // Field.key, then the value's tag: what follows the Field's own tag and length.
      const key = Buffer.from(k, 'utf8');
      const valueTag = k === shape.messageKey ? TAG_FIELD_S : TAG_FIELD_I;
      const hdr = new Uint8Array(1 + varintSize(key.length) + key.length + 1);
      let at = 0;
      hdr[at++] = TAG_FIELD_KEY;
      at = writeVarint(hdr, at, key.length);
      hdr.set(key, at);
      hdr[at + key.length] = valueTag;
      if (k === shape.messageKey) return { kind: 'message', hdr, lpKey: escapeFieldKey(k) };
      return { kind: 'int', index: shape.intKeys.indexOf(k), hdr, lpKey: escapeFieldKey(k) };
    });
    const pieces: Buffer[] = [];
    const parts: ({ kind: 'message' } | { kind: 'int'; index: number })[] = [];
    let cur = lp;
    this.#segments.forEach((seg, i) => {
      cur += i === 0 ? ' ' : ',';
      if (seg.kind === 'const') {
        cur += seg.lp;
        return;
      }
      if (seg.kind === 'message') {
        pieces.push(Buffer.from(`${cur}${seg.lpKey}="`, 'utf8'));
        parts.push({ kind: 'message' });
        cur = '"';
      } else {
        pieces.push(Buffer.from(`${cur}${seg.lpKey}=`, 'utf8'));
        parts.push({ kind: 'int', index: seg.index });
        cur = 'i';
      }
    });
    pieces.push(Buffer.from(`${cur} `, 'utf8'));
    this.#lpPieces = pieces;
    this.#lpParts = parts;
    this.#lpConstBytes = pieces.reduce((n, b) => n + b.length, 0);
    let lead = 0;
    while (lead < this.#segments.length && this.#segments[lead]!.kind === 'const') lead++;
    const leading = this.#segments.slice(0, lead) as { pb: Buffer }[];
    this.#pbPrefix = Buffer.concat([pbHead, ...leading.map((x) => x.pb)]);
    this.#pbRest = this.#segments.slice(lead);
    let constRest = 0;
    for (const x of this.#pbRest) constRest += x.kind === 'const' ? x.pb.length : x.hdr.length;
    this.#constRestBytes = constRest;
  }

  /**
   * Bytes of one `PBPoints.arr` entry for `e`, appended at `buf[at]` (room
   * ensured); returns the end. The message is `e.message`, or, when
   * `srcAt` ≥ 0, the UTF-8 bytes `buf[srcAt, srcAt + msgBytes)` before the
   * output (the tailer's byte road: `copyWithin` is the cheapest copy).
   */
  writePb(buf: Buffer, at: number, e: LogEntry, msgBytes: number, srcAt = -1): number {
    const rest = this.#pbRest;
    let body = this.#pbPrefix.length;
    for (let i = 0; i < rest.length; i++) {
      const s = rest[i]!;
      if (s.kind === 'const') body += s.pb.length;
      else {
        const inner =
          s.hdr.length +
          (s.kind === 'message' ? varintSize(msgBytes) + msgBytes : intVarintSize(e.ints[s.index]!));
        body += 1 + varintSize(inner) + inner;
      }
    }
    setTime(e);
    const tBytes = time[1] === 0 && time[0] === 0 ? 0 : varintSizeHalves(time[0]!, time[1]!);
    if (tBytes > 0) body += 1 + tBytes;
    buf[at++] = TAG_POINTS_ARR;
    at = writeVarint(buf, at, body);
    buf.set(this.#pbPrefix, at);
    at += this.#pbPrefix.length;
    for (let i = 0; i < rest.length; i++) {
      const s = rest[i]!;
      if (s.kind === 'const') {
        buf.set(s.pb, at);
        at += s.pb.length;
        continue;
      }
      buf[at++] = TAG_POINT_FIELD;
      if (s.kind === 'message') {
        at = writeVarint(buf, at, s.hdr.length + varintSize(msgBytes) + msgBytes);
        buf.set(s.hdr, at);
        at = writeVarint(buf, at + s.hdr.length, msgBytes);
        if (srcAt >= 0) {
          buf.copyWithin(at, srcAt, srcAt + msgBytes);
          at += msgBytes;
        } else {
          const m = e.message;
          at += msgBytes < 32 && msgBytes === m.length ? writeAscii(buf, at, m) : utf8Write(buf, m, at);
        }
      } else {
        const v = e.ints[s.index]!;
        at = writeVarint(buf, at, s.hdr.length + intVarintSize(v));
        buf.set(s.hdr, at);
        at = writeIntVarint(buf, at + s.hdr.length, v);
      }
    }
    if (tBytes > 0) {
      buf[at++] = TAG_POINT_TIME;
      at = putVarintHalves(buf, at, time[0]!, time[1]!);
    }
    return at;
  }

  /** The byte road's protobuf plan for this shape (made on first use). */
  get pbSpanPlan(): PbSpanPlan {
    if (this.#spanPlan === null) {
      const pieces: PbPieces = {
        prefix: this.#pbPrefix,
        rest: this.#pbRest.map((s) =>
          s.kind === 'const' ? { kind: 'const', bytes: s.pb } : { kind: s.kind, hdr: s.hdr },
        ),
      };
      this.#spanPlan = new PbSpanPlan(pieces);
    }
    return this.#spanPlan;
  }

  /** How many per-message integer fields the points have. */
  get intCount(): number {
    return this.#intCount;
  }

  /** An upper bound of `writePb`'s bytes for a message of `msgBytes` UTF-8 bytes (linear in it: encodeLogSpans sums it so). */
  pbBound(msgBytes: number): number {
    return this.#pbPrefix.length + this.#constRestBytes + msgBytes + 32 + this.#pbRest.length * 16;
  }

  /** An upper bound of `writeLp`'s bytes for a message of `chars` UTF-16 units. */
  lpBound(chars: number): number {
    // UTF-8 is at most 3 bytes per unit, escaping adds at most one per byte that is '"' or '\\'.
    return this.#lpConstBytes + chars * 4 + 24 * this.#lpParts.length + 24;
  }

  /** An upper bound of `writeLp`'s bytes for a message of `bytes` UTF-8 bytes (linear in it: encodeLogSpans sums it so). */
  lpBoundBytes(bytes: number): number {
    return this.#lpConstBytes + bytes * 2 + 24 * this.#lpParts.length + 24;
  }

  /**
   * The line for `e` with its "\n", written at `buf[at]` (room ensured);
   * returns the end. When `srcAt` ≥ 0 the message is `buf[srcAt, srcEnd)`
   * (UTF-8, before the output).
   */
  writeLp(buf: Buffer, at: number, e: LogEntry, srcAt = -1, srcEnd = 0): number {
    const pieces = this.#lpPieces;
    const parts = this.#lpParts;
    for (let i = 0; i < parts.length; i++) {
      const piece = pieces[i]!;
      buf.set(piece, at);
      at += piece.length;
      const part = parts[i]!;
      if (part.kind === 'message') {
        const start = at;
        if (srcAt >= 0) {
          buf.copyWithin(at, srcAt, srcEnd);
          at += srcEnd - srcAt;
        } else at += utf8Write(buf, e.message, at);
        at = escapeQuotesInPlace(buf, start, at);
      } else {
        at += writeAscii(buf, at, String(e.ints[part.index]!));
      }
    }
    const last = pieces[parts.length]!;
    buf.set(last, at);
    at += last.length;
    at = writeTimeDecimal(buf, at, e);
    buf[at++] = 0x0a;
    return at;
  }

  /** One line-protocol line for `e`, with its "\n". */
  lpLine(e: LogEntry): string {
    let line = this.#lpHead;
    const segs = this.#segments;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      line += i === 0 ? ' ' : ',';
      if (s.kind === 'const') line += s.lp;
      else if (s.kind === 'message') line += `${s.lpKey}="${escapeStringValue(e.message)}"`;
      else line += `${s.lpKey}=${e.ints[s.index]!}i`;
    }
    line += ` ${entryTimeNs(e)}`;
    return `${line}\n`;
  }
}

/**
 * Entries of possibly several shapes (one per file) into one run of wire
 * bytes, lent until the next call (`borrowed`).
 */
export function encodeLogEntries(
  encoding: 'lp' | 'protobuf',
  shapes: readonly LogWireShape[],
  entries: readonly LogEntry[],
): ForwardedPoints {
  const n = entries.length;
  const ends = new Uint32Array(n);
  if (encoding === 'lp') {
    let bound = 0;
    for (let i = 0; i < n; i++) bound += shapes[i]!.lpBound(entries[i]!.message.length);
    const buf = scratchOf(bound);
    let at = 0;
    for (let i = 0; i < n; i++) {
      at = shapes[i]!.writeLp(buf, at, entries[i]!);
      ends[i] = at;
    }
    return { bytes: buf.subarray(0, at), ends, count: n, borrowed: true };
  }
  return encodeEntriesPb(shapes, entries, ends);
}

/**
 * The protobuf of `encodeLogEntries`, laid out in the scratch buffer as
 * [templates][messages][points]: every message is written once as UTF-8
 * (its byte length comes from the write), then each run of entries that
 * the byte road's run writer can take — one shape with at most one
 * integer, the integer counting up by one, the time by one µs, which is
 * what one read of a file gives — is written by it (log-wire-spans.ts: a
 * point is the previous point's head, patched, plus its message), and any
 * other entry by the shape's general writer from its span. The bytes are
 * the general writer's either way (test/point/codec/log-wire.test.ts).
 */
function encodeEntriesPb(
  shapes: readonly LogWireShape[],
  entries: readonly LogEntry[],
  ends: Uint32Array,
): ForwardedPoints {
  const n = entries.length;
  // Room: each distinct shape's template, ≤ 3 UTF-8 bytes per UTF-16 unit, and the points' bound,
  // linear in the message bytes (pbBound).
  let tplBytes = 0;
  let chars = 0;
  let fixed = 0;
  const plans: LogWireShape[] = [];
  for (let i = 0; i < n; i++) {
    const sh = shapes[i]!;
    chars += entries[i]!.message.length;
    fixed += sh.pbBound(0);
    if (sh.intCount <= 1 && (i === 0 || sh !== shapes[i - 1]) && !plans.includes(sh)) {
      plans.push(sh);
      tplBytes += sh.pbSpanPlan.templateBytes;
    }
  }
  const msgStart = tplBytes;
  const buf = scratchOf(msgStart + 6 * chars + fixed + 8);
  const tplAt = new Int32Array(plans.length);
  for (let k = 0, at = 0; k < plans.length; k++) {
    tplAt[k] = at;
    plans[k]!.pbSpanPlan.writeTemplate(buf, at);
    at += plans[k]!.pbSpanPlan.templateBytes;
  }
  const starts = new Uint32Array(n);
  const msgEnds = new Uint32Array(n);
  let at = msgStart;
  for (let i = 0; i < n; i++) {
    const m = entries[i]!.message;
    starts[i] = at;
    at += m.length < 32 && isAscii(m) ? writeAscii(buf, at, m) : utf8Write(buf, m, at);
    msgEnds[i] = at;
  }
  const outStart = at;
  let i = 0;
  while (i < n) {
    const sh = shapes[i]!;
    const e = entries[i]!;
    let j = i + 1;
    const k = sh.intCount <= 1 ? plans.indexOf(sh) : -1;
    if (k >= 0) {
      const withInt = sh.intCount === 1;
      while (j < n && shapes[j] === sh && follows(entries[j]!, entries[j - 1]!, withInt)) j++;
      const end = sh.pbSpanPlan.writeRun(
        buf,
        tplAt[k]!,
        at,
        starts,
        msgEnds,
        i,
        j - i,
        withInt ? e.ints[0]! : 0,
        entryTimeNs(e),
        ends,
        outStart,
      );
      if (end >= 0) {
        at = end;
        i = j;
        continue;
      }
      j = i + 1;
    }
    for (; i < j; i++) {
      at = shapes[i]!.writePb(buf, at, entries[i]!, msgEnds[i]! - starts[i]!, starts[i]!);
      ends[i] = at - outStart;
    }
  }
  return { bytes: buf.subarray(outStart, at), ends, count: n, borrowed: true };
}

/** Whether `e` is the entry after `prev` in a run: time one µs later, counter (if any) one more. */
function follows(e: LogEntry, prev: LogEntry, withInt: boolean): boolean {
  return (
    e.timeNs === prev.timeNs && e.plusUs === prev.plusUs + 1 && (!withInt || e.ints[0] === prev.ints[0]! + 1)
  );
}

/**
 * Messages given as UTF-8 byte spans of `arena.buf` (`[starts[i], ends[i])`,
 * i < count, all before `srcEnd`) into wire bytes, written in the arena
 * after `srcEnd` — one buffer, so each message is copied by `copyWithin` —
 * and returned as a view of it (the caller keeps the arena's buffer with
 * them until they are delivered). The arena grows (its first `srcEnd` bytes
 * kept) when short. Every entry has the shape's integer field (at most one)
 * set to `counterStart + i` — the file tailer's `log_read_lines` — and the
 * time `baseNs` + i µs.
 */
export function encodeLogSpans(
  encoding: 'lp' | 'protobuf',
  shape: LogWireShape,
  arena: { buf: Buffer },
  srcEnd: number,
  starts: Uint32Array,
  ends: Uint32Array,
  count: number,
  counterStart: number,
  baseNs: bigint,
): ForwardedPoints {
  if (shape.intCount > 1) throw new Error('encodeLogSpans: a shape with one per-message integer at most');
  let total = 0;
  for (let i = 0; i < count; i++) total += ends[i]! - starts[i]!;
  // Both bounds are linear in the message's bytes: their sum over the messages, without a call per message.
  const bound =
    encoding === 'lp'
      ? count * shape.lpBoundBytes(0) + 2 * total
      : count * shape.pbBound(0) + total + shape.pbSpanPlan.templateBytes;
  const outStart = (srcEnd + 7) & ~7;
  if (arena.buf.length < outStart + bound + 1) {
    const grown = Buffer.allocUnsafeSlow(Math.max(outStart + bound + 1, arena.buf.length * 2));
    arena.buf.copy(grown, 0, 0, srcEnd);
    arena.buf = grown;
  }
  const buf = arena.buf;
  const out = new Uint32Array(count);
  if (encoding === 'protobuf') {
    const plan = shape.pbSpanPlan;
    const end = plan.write(buf, outStart, starts, ends, count, counterStart, baseNs, out);
    if (end >= 0) return { bytes: buf.subarray(outStart + plan.templateBytes, end), ends: out, count };
  }
  const ints = [counterStart];
  const e: LogEntry = { message: '', ints, timeNs: baseNs, plusUs: 0 };
  let at = outStart;
  for (let i = 0; i < count; i++) {
    ints[0] = counterStart + i;
    e.plusUs = i;
    const a = starts[i]!;
    at =
      encoding === 'lp' ? shape.writeLp(buf, at, e, a, ends[i]!) : shape.writePb(buf, at, e, ends[i]! - a, a);
    out[i] = at - outStart;
  }
  return { bytes: buf.subarray(outStart, at), ends: out, count };
}

/**
 * One buffer written into and lent out (`borrowed`: the batcher copies the
 * bytes into the request body, so each byte is copied once): a fresh large
 * buffer per call is memory the kernel must fault in page by page and the
 * GC must account for.
 */
let scratch = Buffer.allocUnsafe(1 << 20);
function scratchOf(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  return scratch;
}

/** The PBPoint bytes of `p` (its `PBPoints.arr` entry without the tag and length). */
function pbPointBody(p: Point): Buffer {
  const all = encodeProtobuf([p]);
  let at = 1;
  while ((all[at]! & 0x80) !== 0) at++;
  return Buffer.from(all.subarray(at + 1));
}

/**
 * Line protocol escapes `"` and `\\` in string values. The message is
 * written first and escaped in place: `indexOf` finds the few specials
 * natively (a sentinel after the end stops each search), then the bytes
 * after each one move right to make room for its backslash. Both are ASCII,
 * so they never occur inside a multi-byte UTF-8 sequence. Returns the new end.
 */
const specials: number[] = [];
function escapeQuotesInPlace(buf: Buffer, start: number, end: number): number {
  specials.length = 0;
  buf[end] = 0x22;
  for (let p = buf.indexOf(0x22, start); p < end; p = buf.indexOf(0x22, p + 1)) specials.push(p);
  const quotes = specials.length;
  buf[end] = 0x5c;
  for (let p = buf.indexOf(0x5c, start); p < end; p = buf.indexOf(0x5c, p + 1)) specials.push(p);
  const count = specials.length;
  if (count === 0) return end;
  if (quotes > 0 && quotes < count) specials.sort((a, b) => a - b);
  let tail = end;
  for (let j = count - 1; j >= 0; j--) {
    const p = specials[j]!;
    buf.copyWithin(p + j + 1, p, tail);
    buf[p + j] = 0x5c;
    tail = p;
  }
  return end + count;
}

/** Short messages measured as ASCII (byte count = length): copied by hand, cheaper than a native call. */
function writeAscii(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at + i] = s.charCodeAt(i);
  return s.length;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function writeVarint(buf: Uint8Array, at: number, n: number): number {
  while (n > 0x7f) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

/** int64 field values are two's complement varints: negatives take 10 bytes. */
function intVarintSize(v: number): number {
  return v < 0 ? 10 : v < 2 ** 31 ? varintSize(v) : varintSize64(BigInt(v));
}

function writeIntVarint(buf: Buffer, at: number, v: number): number {
  if (v >= 0 && v < 2 ** 31) return writeVarint(buf, at, v);
  return writeVarint64(buf, at, BigInt.asUintN(64, BigInt(v)));
}

/**
 * The entry's time as two unsigned 32-bit halves in `time[0]` (low) and
 * `time[1]`: the base's halves (stored natively), plus `plusUs * 1000`
 * added in 32-bit limbs (exact: the product stays below 2^41). A typed
 * array, so the halves are not boxed numbers.
 */
const time = new Uint32Array(2);
function setTime(e: LogEntry): void {
  splitNs(e.timeNs, time);
  if (e.plusUs === 0) return;
  const sum = time[0]! + e.plusUs * 1000;
  time[0] = sum % 0x1_0000_0000;
  time[1] = time[1]! + Math.floor(sum / 0x1_0000_0000);
}

/**
 * The entry's time in decimal ns, written at `buf[at]`; returns the end.
 * The base's digits are kept from the last call (one read's entries share
 * it); the step is added to its last nine digits, written digit by digit,
 * when that does not carry further, else the sum goes through a bigint.
 */
let lastBase = -1n;
let lastHead = '';
let lastTail = -1;
function writeTimeDecimal(buf: Buffer, at: number, e: LogEntry): number {
  if (e.timeNs !== lastBase) {
    lastBase = e.timeNs;
    const d = e.timeNs.toString();
    const split = d.length > 9 && e.timeNs > 0n;
    lastHead = split ? d.slice(0, -9) : '';
    lastTail = split ? Number(d.slice(-9)) : -1;
  }
  let tail = lastTail + e.plusUs * 1000;
  if (lastTail < 0 || tail >= 1_000_000_000) return at + writeAscii(buf, at, entryTimeNs(e).toString());
  at += writeAscii(buf, at, lastHead);
  for (let i = at + 8; i >= at; i--) {
    buf[i] = 0x30 + (tail % 10);
    tail = Math.floor(tail / 10);
  }
  return at + 9;
}

const pair = new Uint32Array(2);
function varintSize64(v: bigint): number {
  splitNs(v, pair);
  return varintSizeHalves(pair[0]!, pair[1]!);
}

function writeVarint64(buf: Buffer, at: number, v: bigint): number {
  splitNs(v, pair);
  return putVarintHalves(buf, at, pair[0]!, pair[1]!);
}
