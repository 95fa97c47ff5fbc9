/**
 * Cuts the stream of offloaded points into batches: a batch leaves when it
 * holds `batchSize` points or `flushIntervalMs` after its first point,
 * whichever comes first, and at `flush()` (stop). Each batch carries the
 * tickets of the `send()` calls that contributed to it.
 *
 * Points come either as `Point` objects or already encoded for the wire
 * (`addEncoded`: the agent's fast road for line-protocol bodies, see
 * point/codec/lp-forward.ts); a batch holds the objects and byte runs of
 * encoded points side by side, and the offloader makes one body of both.
 */

import type { BufferPool } from '../common/buffer-pool.js';
import type { Point } from '../point/point.js';
import type { Ticket } from './completion.js';

/** Points already in the receiver's encoding: entry i is `bytes[ends[i-1] .. ends[i])`. */
export interface EncodedPoints {
  bytes: Uint8Array;
  ends: Uint32Array;
  count: number;
  /**
   * `bytes` is the producer's reused scratch memory, valid only until the
   * call it is handed to returns: whoever keeps it copies it first.
   */
  borrowed?: boolean;
}

/**
 * `chunks` are runs of whole encoded entries, in arrival order after
 * `points`. `pooled`: buffers of the batcher's pool that the chunks lie in;
 * they go back to the pool once the batch is settled.
 */
export type EmitBatch = (
  points: Point[],
  chunks: Uint8Array[],
  count: number,
  tickets: Ticket[],
  pooled: Buffer[],
) => void;

export class Batcher {
  readonly #size: number;
  readonly #intervalMs: number;
  readonly #emit: EmitBatch;
  #points: Point[] = [];
  #chunks: Uint8Array[] = [];
  /**
   * Where borrowed bytes are copied: the open batch's last chunk, filled up
   * to `#openLen` (the chunk in `#chunks` is replaced by its filled part at
   * the cut). One copy per point from the producer's scratch to the body
   * that goes on the wire, instead of a copy out of the scratch and another
   * when the cut joins the runs.
   */
  #open: Buffer | null = null;
  #openLen = 0;
  /** `#open` came from the pool. */
  #openPooled = false;
  /** The pool's buffers under the open batch's chunks. */
  #pooled: Buffer[] = [];
  /** Request bodies, reused (fresh ones set off V8's full GCs: common/buffer-pool.ts); null = none. */
  readonly #pool: BufferPool | null;
  /** The last body's size: the next open body starts that large, so it rarely grows. */
  #openHint = 0;
  #count = 0;
  #tickets: Ticket[] = [];
  /**
   * The flush timer. It stays armed across cuts: clearing and setting a
   * timer for every batch cost more than the batch's bookkeeping. When it
   * fires it flushes a partial batch that has waited the interval, and
   * re-arms for one that has not.
   */
  #timer: NodeJS.Timeout | null = null;
  /** When the open (partial) batch got its first point (performance.now(), monotonic); 0 = no points. */
  #openedAt = 0;

  constructor(batchSize: number, flushIntervalMs: number, emit: EmitBatch, pool: BufferPool | null = null) {
    this.#size = batchSize;
    this.#intervalMs = flushIntervalMs;
    this.#emit = emit;
    this.#pool = pool;
  }

  /** Points buffered and not yet emitted. */
  get buffered(): number {
    return this.#count;
  }

  add(points: readonly Point[], ticket: Ticket): void {
    const n = points.length;
    let i = 0;
    while (i < n) {
      this.#hold(ticket);
      const room = this.#size - this.#count;
      const end = n - i < room ? n : i + room;
      const buf = this.#points;
      this.#count += end - i;
      for (; i < end; i++) buf.push(points[i]!);
      this.#afterAdd();
    }
  }

  addEncoded(e: EncodedPoints, ticket: Ticket): void {
    const n = e.count;
    let i = 0;
    while (i < n) {
      this.#hold(ticket);
      const room = this.#size - this.#count;
      const end = n - i < room ? n : i + room;
      const from = i === 0 ? 0 : e.ends[i - 1]!;
      const run = e.bytes.subarray(from, e.ends[end - 1]!);
      if (e.borrowed === true) this.#copyIn(run);
      else {
        this.#closeOpen();
        this.#chunks.push(run);
      }
      this.#count += end - i;
      i = end;
      this.#afterAdd();
    }
  }

  /** Emit the partial batch now. */
  flush(): void {
    if (this.#count > 0) this.#cut();
    this.#clearTimer();
  }

  /** Drop the timer (the offloader is gone). */
  close(): void {
    this.#clearTimer();
  }

  #hold(ticket: Ticket): void {
    const tickets = this.#tickets;
    if (tickets.length === 0 || tickets[tickets.length - 1] !== ticket) {
      tickets.push(ticket);
      ticket.hold();
    }
  }

  #afterAdd(): void {
    if (this.#count >= this.#size) {
      this.#cut();
      return;
    }
    if (this.#openedAt === 0) this.#openedAt = performance.now() || 1;
    if (this.#timer === null) this.#arm(this.#intervalMs);
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#onTimer(), ms);
  }

  #onTimer(): void {
    this.#timer = null;
    if (this.#count === 0) return;
    const waited = performance.now() - this.#openedAt;
    if (waited >= this.#intervalMs) this.#cut();
    else this.#arm(this.#intervalMs - waited);
  }

  /** Append `run` to the open body (started or grown as needed). */
  #copyIn(run: Uint8Array): void {
    let open = this.#open;
    const need = this.#openLen + run.length;
    if (open === null || need > open.length) {
      const size = Math.max(need, this.#openHint, open === null ? 0 : open.length * 2);
      const pool = this.#pool;
      const fromPool = pool !== null && need <= pool.size;
      const grown = fromPool ? pool.take() : Buffer.allocUnsafe(size);
      if (open !== null) {
        open.copy(grown, 0, 0, this.#openLen);
        if (this.#openPooled) {
          this.#pooled.splice(this.#pooled.indexOf(open), 1);
          pool!.give(open);
        }
      } else this.#chunks.push(grown);
      if (fromPool) this.#pooled.push(grown);
      open = grown;
      this.#open = grown;
      this.#openPooled = fromPool;
    }
    open.set(run, this.#openLen);
    this.#openLen = need;
    this.#chunks[this.#chunks.length - 1] = open;
  }

  /** The open body becomes an ordinary chunk of its filled length. */
  #closeOpen(): void {
    const open = this.#open;
    if (open === null) return;
    this.#chunks[this.#chunks.length - 1] = open.subarray(0, this.#openLen);
    this.#openHint = Math.max(this.#openLen, (this.#openHint * 7) >>> 3);
    this.#open = null;
    this.#openLen = 0;
  }

  /**
   * Several runs of bytes and no point objects: one body, copied into a
   * pooled buffer when it fits (otherwise the offloader joins them). The
   * pool's buffers the runs were in are given back once copied.
   */
  #join(chunks: Uint8Array[], pooled: Buffer[]): Buffer[] {
    const pool = this.#pool;
    let total = 0;
    for (let i = 0; i < chunks.length; i++) total += chunks[i]!.length;
    if (pool === null || total > pool.size) return pooled;
    const body = pool.take();
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      body.set(chunks[i]!, at);
      at += chunks[i]!.length;
    }
    for (let i = 0; i < pooled.length; i++) pool.give(pooled[i]!);
    chunks.length = 0;
    chunks.push(body.subarray(0, total));
    return [body];
  }

  #cut(): void {
    this.#openedAt = 0;
    this.#closeOpen();
    const points = this.#points;
    const chunks = this.#chunks;
    const count = this.#count;
    const tickets = this.#tickets;
    let pooled = this.#pooled;
    this.#points = [];
    this.#chunks = [];
    this.#count = 0;
    this.#tickets = [];
    this.#pooled = [];
    if (chunks.length > 1 && points.length === 0) pooled = this.#join(chunks, pooled);
    this.#emit(points, chunks, count, tickets, pooled);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
