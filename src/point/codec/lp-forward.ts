/**
 * Line protocol straight to an offload wire, without building points.
 *
 * Logging points the agent offloads (Pipeline Offload, SPEC §6) would
 * otherwise be decoded into `Point`s and encoded again, at about 15 µs a
 * point. This fast path scans the body's bytes once and emits, per point,
 * what the receiver needs: a line-protocol line (`datakit-http`) or one
 * `PBPoints.arr` entry (`ploffload`). It decodes no string but the
 * measurement (for `accept`), and only when it differs from the previous
 * line's.
 *
 * It is conservative: at the first line outside a deliberately small
 * subset of line protocol (`lp-forward-scan.ts` lists it) it returns null
 * and the caller decodes the body the ordinary way, which gives the
 * precise errors, warnings and rewrites. Whenever it returns bytes,
 * decoding them gives exactly the points the ordinary decoder gives for
 * the body, with the added tags set where missing.
 *
 * Pieces: `lp-forward-scan.ts` checks a line and records its spans in
 * typed arrays, `lp-forward-lp.ts` and `lp-forward-pb.ts` write it,
 * `lp-forward-tags.ts` prepares the per-call constants,
 * `lp-forward-num.ts` does 64-bit numbers without BigInt,
 * `lp-forward-swar.ts` searches four bytes at a time, `lp-forward-keys.ts`
 * checks keys, and `lp-forward-out.ts` holds the arena (body copy and
 * output) and copies the result out.
 */
import { isUtf8 } from 'node:buffer';
import type { BufferPool } from '../../common/buffer-pool.js';
import { asBuffer, utf8Slice } from './fast-buffer.js';
import { checkKeys, missing } from './lp-forward-keys.js';
import { lpBegin, lpFlush, writeLpLine } from './lp-forward-lp.js';
import { arena, loadBody, out, release, sameArenaBytes, takeOutput, view } from './lp-forward-out.js';
import { resetPbHeads, writePbPoint } from './lp-forward-pb.js';
import { GUESS, line, scanLine } from './lp-forward-scan.js';
import { prepareAddTags, prepareNow } from './lp-forward-tags.js';

export interface ForwardOptions {
  /** 'lp' → datakit-http receiver; 'protobuf' → ploffload receiver. */
  encoding: 'lp' | 'protobuf';
  /** The write API's `precision` query value: '' (guess by magnitude, see timestamp.ts), 'n','ns','u','us','ms','s','m','h'. */
  precision: string;
  /** Receive time in ns, for lines without a timestamp (and for timestamp 0, which means "none"). */
  nowNs: bigint;
  /** Tags added to every point that lacks that tag key (global host tags), in this order. */
  addTags: readonly (readonly [string, string])[];
  /** Called with the measurement name (UTF-8 decoded); false = this line must not be forwarded → return null. */
  accept: (measurement: string) => boolean;
  /**
   * Where the output goes when it fits: a buffer from this pool, which the
   * caller gives back once the points are delivered (`ForwardedPoints.pooled`).
   */
  outputPool?: BufferPool;
}

export interface ForwardedPoints {
  /** The points in the wire encoding, back to back. LP: each line followed by '\n'. protobuf: each point a
   *  complete `PBPoints.arr` entry (tag 0x0a, varint length, PBPoint bytes), so any run of entries is a valid PBPoints. */
  bytes: Buffer;
  /** ends[i] = offset in `bytes` just after point i (for LP, after its '\n'). */
  ends: Uint32Array;
  count: number;
  /** `bytes` is reused scratch, valid until the call it is handed to returns (see offload/batcher.ts). */
  borrowed?: boolean;
  /** The buffer of `ForwardOptions.outputPool` under `bytes`, to give back once they are delivered. */
  pooled?: Buffer;
}

const LF = 10;

/** Timestamp zeros per precision; '' guesses by digit count, m and h are not forwarded. */
const PRECISION_ZEROS: Readonly<Record<string, number>> = {
  '': GUESS,
  n: 0,
  ns: 0,
  u: 3,
  us: 3,
  ms: 6,
  s: 9,
};

/** Point end offsets, copied out per call; a huge body's array is not kept. */
let ends = new Uint32Array(1024);
const MAX_KEPT_ENDS = 1 << 16;
/** Set while a call runs: a nested call (from `accept`) would clobber the shared scan state. */
let busy = false;

/** null: some line is outside the fast subset, or accept() said no; the caller decodes the body the ordinary way. */
export function forwardLineProtocol(body: Uint8Array, o: ForwardOptions): ForwardedPoints | null {
  if (busy) return null;
  busy = true;
  try {
    return forward(body, o);
  } finally {
    busy = false;
    release();
    if (ends.length > MAX_KEPT_ENDS) ends = new Uint32Array(1024);
  }
}

function forward(body: Uint8Array, o: ForwardOptions): ForwardedPoints | null {
  const n = body.length;
  if (n === 0) return null;
  const zeros = Object.hasOwn(PRECISION_ZEROS, o.precision) ? PRECISION_ZEROS[o.precision]! : null;
  if (zeros === null) return null;
  const pb = o.encoding === 'protobuf';
  if (!pb && o.encoding !== 'lp') return null;
  const add = prepareAddTags(o.addTags);
  if (add === null) return null;
  const now = prepareNow(o.nowNs);
  if (now === null) return null;
  if (!isUtf8(body)) return null;
  const accept = o.accept;
  const bodyBuf = asBuffer(body);

  loadBody(body, n + (n >> 3) + 64, pb ? add.pb : add.lp);
  resetPbHeads();
  lpBegin();
  let count = 0;
  let prevStart = -1;
  let prevLen = -1;
  let prevOk = false;
  let p = 0;
  while (p < n) {
    // The arena's views change when the output grows: take them afresh per line.
    const b = arena;
    const bv = view;
    if (b[p] === LF) {
      p++;
      continue;
    }
    const next = scanLine(b, bv, p, n, zeros);
    if (next < 0) return null;

    const nameLen = line.nameEnd - p;
    if (nameLen !== prevLen || !sameArenaBytes(prevStart, p, nameLen)) {
      prevOk = accept(utf8Slice(bodyBuf, p, line.nameEnd)) === true;
      prevStart = p;
      prevLen = nameLen;
    }
    if (!prevOk) return null;

    const missingCount = checkKeys(b, add);
    if (missingCount < 0) return null;
    if (pb) writePbPoint(add, missing, now);
    else writeLpLine(n, add, missing, missingCount, now);

    if (count === ends.length) {
      const grown = new Uint32Array(count * 2);
      grown.set(ends);
      ends = grown;
    }
    ends[count++] = out.pos - out.base;
    p = next;
  }
  if (count === 0) return null;
  if (!pb) lpFlush();
  const into = o.outputPool;
  if (into !== undefined && out.pos - out.base <= into.size) {
    const pooled = into.take();
    return { bytes: takeOutput(pooled), ends: ends.slice(0, count), count, pooled };
  }
  return { bytes: takeOutput(), ends: ends.slice(0, count), count };
}
