/**
 * A batch of offloaded points on its way to a receiver.
 *
 * The id (`X-Plkit-Batch-Id`) is unique per agent run (a random prefix,
 * then a counter) and stays with the batch across retries, re-routes,
 * the spool and restarts, so a processor can drop a batch it already has.
 * Parts made from a batch (halves after a 413, per-receiver groups under
 * affinity) get ids derived from the parent's, so a part resent after a
 * restart carries the same id as before.
 *
 * `points` and `body` are both lazy: a fresh batch has points and encodes
 * its body once, on first send; a batch read from the spool has its body
 * and decodes points only when it must be split or partitioned.
 */
import { randomBytes } from 'node:crypto';
import { decodeBody } from '../point/codec/index.js';
import type { Point } from '../point/point.js';
import type { Completion } from './completion.js';
import type { ReceiverWire, WireEncoding } from './receivers/index.js';

export const OFFLOAD_CATEGORY = 'logging';

export interface Batch {
  readonly id: string;
  readonly count: number;
  points: Point[] | null;
  body: Uint8Array | null;
  /** Encoding of `body` (a spooled body may predate a receiver change). */
  bodyEncoding: WireEncoding | null;
  readonly completion: Completion;
  /** Read from the spool (its record is acked or handed back), or fresh from send(). */
  readonly fromSpool: boolean;
  /** performance.now() of the first attempt, for the cost metric. */
  startedAt: number;
  /** Attempts made so far (a second one counts as a retry). */
  attempts: number;
  /** Emission order of fresh batches (parts keep their parent's); spooling follows it. */
  seq: number;
}

const runPrefix = randomBytes(6).toString('hex');
let seq = 0;

/** A new batch id, unique across runs of this agent. */
export function newBatchId(): string {
  return `${runPrefix}-${(++seq).toString(36)}`;
}

export function makeBatch(
  id: string,
  points: Point[] | null,
  body: Uint8Array | null,
  bodyEncoding: WireEncoding | null,
  count: number,
  completion: Completion,
  fromSpool: boolean,
): Batch {
  return { id, count, points, body, bodyEncoding, completion, fromSpool, startedAt: 0, attempts: 0, seq: 0 };
}

/** The batch's points, decoded from its body when needed. */
export function pointsOf(b: Batch): Point[] {
  if (b.points !== null) return b.points;
  const body = b.body ?? new Uint8Array(0);
  const r =
    b.bodyEncoding === 'protobuf'
      ? decodeBody(body, 'application/protobuf', { category: OFFLOAD_CATEGORY })
      : decodeBody(body, undefined, { category: OFFLOAD_CATEGORY, precision: 'n' });
  b.points = r.points;
  return r.points;
}

/** The body in `wire`'s encoding, encoded (or re-encoded) once. */
export function bodyOf(b: Batch, wire: ReceiverWire): Uint8Array {
  if (b.body !== null && b.bodyEncoding === wire.encoding) return b.body;
  const pts = pointsOf(b);
  b.body = wire.encode(pts);
  b.bodyEncoding = wire.encoding;
  return b.body;
}

/** A part of `parent` holding `points`; the caller accounts for it in the completion. */
export function partOf(parent: Batch, suffix: string, points: Point[]): Batch {
  const b = makeBatch(
    `${parent.id}${suffix}`,
    points,
    null,
    null,
    points.length,
    parent.completion,
    parent.fromSpool,
  );
  b.startedAt = parent.startedAt;
  b.attempts = parent.attempts;
  b.seq = parent.seq;
  return b;
}

/** Two halves of a batch (a receiver said it was too large). */
export function splitInHalves(b: Batch): [Batch, Batch] {
  const pts = pointsOf(b);
  const mid = pts.length >>> 1;
  b.completion.addParts(1);
  return [partOf(b, '.a', pts.slice(0, mid)), partOf(b, '.b', pts.slice(mid))];
}

const NEWLINE = new Uint8Array([10]);

/**
 * One body of a batch holding point objects and runs of encoded points
 * (each line-protocol entry ends with `\n`; protobuf entries are whole
 * `PBPoints.arr` items, so runs concatenate). Line protocol leaves without
 * a trailing newline, as DataKit's sender writes it.
 */
export function joinEncoded(
  wire: ReceiverWire,
  points: readonly Point[],
  chunks: readonly Uint8Array[],
): Uint8Array {
  const parts: Uint8Array[] = [];
  if (points.length > 0) {
    parts.push(wire.encode(points));
    if (wire.encoding === 'lp') parts.push(NEWLINE);
  }
  for (let i = 0; i < chunks.length; i++) parts.push(chunks[i]!);
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (wire.encoding === 'lp' && body.length > 0 && body[body.length - 1] === 10) {
    return body.subarray(0, body.length - 1);
  }
  return body;
}
