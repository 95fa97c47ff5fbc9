/**
 * The protobuf side of the line-protocol forwarder: the line just scanned
 * (`lp-forward-scan.ts`) as one `PBPoints.arr` entry (schema in
 * `pb-schema.ts`), written straight from the body's bytes.
 *
 * Every length is known before its bytes are written: a sizing pass over
 * the line's entries (cheap: spans, and limbs for the few integers) keeps
 * each `Field`'s size in a typed array, then one writing pass copies. Tags
 * are `Field{key, is_tag, s}`, fields carry `i`/`u` varints (negative ints
 * as 10-byte two's complement), `f` doubles, `b` bools or `s` strings with
 * the line protocol's `\"` and `\\` undone.
 */

import {
  digitsToLimbs,
  limbs,
  negateLimbs,
  scaleLimbs,
  varintLen32,
  varintLen64,
  writeDoubleLE,
  writeVarint32,
  writeVarint64,
} from './lp-forward-num.js';
import { arena, copyOut, copyPiece, ensure, out, sameArenaBytes, view } from './lp-forward-out.js';
import {
  aux,
  escapes,
  escFrom,
  floatVal,
  keyEnd,
  keyStart,
  kind,
  line,
  MAX_ENTRIES,
  V_FLOAT,
  V_INT,
  V_STRING,
  V_TRUE,
  V_UINT,
  valEnd,
  valStart,
} from './lp-forward-scan.js';
import type { AddTagSet, NowForms } from './lp-forward-tags.js';
import {
  TAG_FIELD_B,
  TAG_FIELD_F,
  TAG_FIELD_I,
  TAG_FIELD_IS_TAG,
  TAG_FIELD_KEY,
  TAG_FIELD_S,
  TAG_FIELD_U,
  TAG_POINT_FIELD,
  TAG_POINT_NAME,
  TAG_POINT_TIME,
  TAG_POINTS_ARR,
} from './pb-schema.js';

/** Per entry: the size of its `Field` message, and an integer's limbs. */
const fieldLen = new Int32Array(MAX_ENTRIES);
const intLo = new Uint32Array(MAX_ENTRIES);
const intHi = new Uint32Array(MAX_ENTRIES);

/** The time of the point being written (`sizePoint` sets it). */
const time = { lo: 0, hi: 0 };

/**
 * Append the scanned line as a `PBPoints.arr` entry; `missing[a]` marks added tags to write.
 *
 * Sizing, the head and tags, and the fields are three functions, not one:
 * TurboFan inlines a function's callees only up to a budget of bytecode,
 * and in one function the budget ran out before most of the varint and
 * copy helpers, which stayed calls. Split, each part inlines its own:
 * 80–130 ns less per nginx line (of ~1.1–1.3 µs; with V8's budget raised
 * fourfold the whole function saved ~200 ns).
 */
export function writePbPoint(add: AddTagSet, missing: Uint8Array, now: NowForms): void {
  const textLen = line.tagsEnd - line.start;
  const nAdd = add.count;
  let mask = 0;
  if (nAdd > 30) mask = -2;
  else for (let a = 0; a < nAdd; a++) if (missing[a] !== 0) mask |= 1 << a;
  const same =
    mask !== -2 &&
    textLen === prevHead.textLen &&
    mask === prevHead.mask &&
    sameArenaBytes(prevHead.text, line.start, textLen);
  const size = (same ? prevHead.len : sizeHead(add, missing)) + sizeFields(now);
  writeSized(add, missing, size, same);
  prevHead.text = line.start;
  prevHead.textLen = textLen;
  prevHead.mask = mask;
}

/**
 * The previous point of this call: its measurement and tags as text in
 * the body, the missing added tags (a bit each), and where its encoded
 * name, tags and added tags are in the output. A line whose measurement
 * and tags read the same (most lines of one sender) gets those bytes by
 * one copy instead of being sized and written piece by piece.
 */
const prevHead = { text: 0, textLen: -1, mask: -1, out: 0, len: 0 };

/** A new call: the output (and with it the previous head) starts again. */
export function resetPbHeads(): void {
  prevHead.textLen = -1;
}

/** Bytes of the name, the tags and the missing added tags; each tag's `Field` size goes to `fieldLen`. */
function sizeHead(add: AddTagSet, missing: Uint8Array): number {
  const start = line.start;
  const nTags = line.tags;
  const nameLen = line.nameEnd - start;
  let size = 1 + varintLen32(nameLen) + nameLen;
  for (let e = 0; e < nTags; e++) {
    const kl = keyEnd[e]! - keyStart[e]!;
    const vl = valEnd[e]! - valStart[e]!;
    const len = 1 + varintLen32(kl) + kl + 3 + varintLen32(vl) + vl;
    fieldLen[e] = len;
    size += 1 + varintLen32(len) + len;
  }
  const nAdd = add.count;
  for (let a = 0; a < nAdd; a++) if (missing[a] !== 0) size += add.pb[a]!.length;
  return size;
}

/** Bytes of the fields and the time; each field's size goes to `fieldLen`, integers to `intLo`/`intHi`, the time to `time`. */
function sizeFields(now: NowForms): number {
  const b = arena;
  const bv = view;
  const nTags = line.tags;
  const nAll = nTags + line.fields;
  let size = 0;
  for (let e = nTags; e < nAll; e++) {
    const kl = keyEnd[e]! - keyStart[e]!;
    let vb: number;
    switch (kind[e]) {
      case V_STRING: {
        const ul = valEnd[e]! - valStart[e]! - aux[e]!;
        vb = 1 + varintLen32(ul) + ul;
        break;
      }
      case V_INT:
      case V_UINT:
        digitsToLimbs(b, bv, valStart[e]!, valEnd[e]!);
        if (aux[e] !== 0) negateLimbs();
        intLo[e] = limbs.lo;
        intHi[e] = limbs.hi;
        vb = 1 + varintLen64(limbs.lo, limbs.hi);
        break;
      case V_FLOAT:
        vb = 9;
        break;
      default:
        vb = 2;
    }
    const len = 1 + varintLen32(kl) + kl + vb;
    fieldLen[e] = len;
    size += 1 + varintLen32(len) + len;
  }
  let tLo = now.lo;
  let tHi = now.hi;
  if (line.tsStart >= 0) {
    digitsToLimbs(b, bv, line.tsStart, line.tsEnd);
    if (line.zeros !== 0) scaleLimbs(line.zeros);
    tLo = limbs.lo;
    tHi = limbs.hi;
  }
  size += 1 + varintLen64(tLo, tHi);
  time.lo = tLo;
  time.hi = tHi;
  return size;
}

function writeSized(add: AddTagSet, missing: Uint8Array, size: number, same: boolean): void {
  const start = line.start;
  const nameEnd = line.nameEnd;
  const nameLen = nameEnd - start;
  const nTags = line.tags;
  const nAll = nTags + line.fields;
  const nAdd = add.count;
  ensure(1 + varintLen32(size) + size);
  const o = arena; // the arena may have grown: its views are new
  let p = out.pos;
  o[p++] = TAG_POINTS_ARR;
  p = writeVarint32(o, p, size);
  const headAt = p;
  if (same) p = copyOut(prevHead.out, prevHead.out + prevHead.len, p);
  else {
    o[p++] = TAG_POINT_NAME;
    p = writeVarint32(o, p, nameLen);
    p = copyOut(start, nameEnd, p);
    for (let e = 0; e < nTags; e++) {
      o[p++] = TAG_POINT_FIELD;
      p = writeVarint32(o, p, fieldLen[e]!);
      p = writeKey(o, e, p);
      o[p++] = TAG_FIELD_IS_TAG;
      o[p++] = 1;
      o[p++] = TAG_FIELD_S;
      p = writeVarint32(o, p, valEnd[e]! - valStart[e]!);
      p = copyOut(valStart[e]!, valEnd[e]!, p);
    }
    for (let a = 0; a < nAdd; a++) {
      if (missing[a] === 0) continue;
      p = copyPiece(a, p);
    }
  }
  prevHead.out = headAt;
  prevHead.len = p - headAt;
  out.pos = writeFields(o, nTags, nAll, p);
}

/** The fields `[from, to)` and the time, at `p`; returns the end. */
function writeFields(o: Uint8Array, from: number, to: number, p: number): number {
  for (let e = from; e < to; e++) {
    o[p++] = TAG_POINT_FIELD;
    p = writeVarint32(o, p, fieldLen[e]!);
    p = writeKey(o, e, p);
    switch (kind[e]) {
      case V_STRING:
        o[p++] = TAG_FIELD_S;
        p = writeVarint32(o, p, valEnd[e]! - valStart[e]! - aux[e]!);
        p =
          aux[e] === 0
            ? copyOut(valStart[e]!, valEnd[e]!, p)
            : copyUnescaped(o, valEnd[e]!, escFrom[e]!, aux[e]!, valStart[e]!, p);
        break;
      case V_INT:
        o[p++] = TAG_FIELD_I;
        p = writeVarint64(o, p, intLo[e]!, intHi[e]!);
        break;
      case V_UINT:
        o[p++] = TAG_FIELD_U;
        p = writeVarint64(o, p, intLo[e]!, intHi[e]!);
        break;
      case V_FLOAT:
        o[p++] = TAG_FIELD_F;
        p = writeDoubleLE(o, p, floatVal[e]!);
        break;
      default:
        o[p++] = TAG_FIELD_B;
        o[p++] = kind[e] === V_TRUE ? 1 : 0;
    }
  }
  o[p++] = TAG_POINT_TIME;
  return writeVarint64(o, p, time.lo, time.hi);
}

function writeKey(o: Uint8Array, e: number, p: number): number {
  const k0 = keyStart[e]!;
  const k1 = keyEnd[e]!;
  o[p++] = TAG_FIELD_KEY;
  p = writeVarint32(o, p, k1 - k0);
  return copyOut(k0, k1, p);
}

/**
 * Copy a string value's bytes, turning each of its `count` escapes (the
 * backslashes at `escapes[first...]`) into the char it escapes: the runs
 * between them are copied whole.
 */
function copyUnescaped(
  o: Uint8Array,
  to: number,
  first: number,
  count: number,
  i: number,
  p: number,
): number {
  for (let k = first, last = first + count; k < last; k++) {
    const bs = escapes[k]!;
    p = copyOut(i, bs, p);
    o[p++] = o[bs + 1]!;
    i = bs + 2;
  }
  return copyOut(i, to, p);
}
