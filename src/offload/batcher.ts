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
import type { Point } from '../point/point.js';
import type { Ticket } from './completion.js';

/** Points already in the receiver's encoding: entry i is `bytes[ends[i-1] .. ends[i])`. */
export interface EncodedPoints {
  bytes: Uint8Array;
  ends: Uint32Array;
  count: number;
}

/** `chunks` are runs of whole encoded entries, in arrival order after `points`. */
export type EmitBatch = (points: Point[], chunks: Uint8Array[], count: number, tickets: Ticket[]) => void;

export class Batcher {
  readonly #size: number;
  readonly #intervalMs: number;
  readonly #emit: EmitBatch;
  #points: Point[] = [];
  #chunks: Uint8Array[] = [];
  #count = 0;
  #tickets: Ticket[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(batchSize: number, flushIntervalMs: number, emit: EmitBatch) {
    this.#size = batchSize;
    this.#intervalMs = flushIntervalMs;
    this.#emit = emit;
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
      this.#chunks.push(e.bytes.subarray(from, e.ends[end - 1]!));
      this.#count += end - i;
      i = end;
      this.#afterAdd();
    }
  }

  /** Emit the partial batch now. */
  flush(): void {
    if (this.#count > 0) this.#cut();
    else this.#clearTimer();
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
    if (this.#count >= this.#size) this.#cut();
    else if (this.#timer === null) this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
  }

  #cut(): void {
    this.#clearTimer();
    const points = this.#points;
    const chunks = this.#chunks;
    const count = this.#count;
    const tickets = this.#tickets;
    this.#points = [];
    this.#chunks = [];
    this.#count = 0;
    this.#tickets = [];
    this.#emit(points, chunks, count, tickets);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
