/**
 * Cuts the stream of offloaded points into batches: a batch leaves when it
 * holds `batchSize` points or `flushIntervalMs` after its first point,
 * whichever comes first, and at `flush()` (stop). Each batch carries the
 * tickets of the `send()` calls that contributed to it.
 */
import type { Point } from '../point/point.js';
import type { Ticket } from './completion.js';

export type EmitBatch = (points: Point[], tickets: Ticket[]) => void;

export class Batcher {
  readonly #size: number;
  readonly #intervalMs: number;
  readonly #emit: EmitBatch;
  #points: Point[] = [];
  #tickets: Ticket[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(batchSize: number, flushIntervalMs: number, emit: EmitBatch) {
    this.#size = batchSize;
    this.#intervalMs = flushIntervalMs;
    this.#emit = emit;
  }

  /** Points buffered and not yet emitted. */
  get buffered(): number {
    return this.#points.length;
  }

  add(points: readonly Point[], ticket: Ticket): void {
    const n = points.length;
    let i = 0;
    while (i < n) {
      const tickets = this.#tickets;
      if (tickets.length === 0 || tickets[tickets.length - 1] !== ticket) {
        tickets.push(ticket);
        ticket.hold();
      }
      const room = this.#size - this.#points.length;
      const end = n - i < room ? n : i + room;
      const buf = this.#points;
      for (; i < end; i++) buf.push(points[i]!);
      if (buf.length >= this.#size) this.#cut();
      else if (this.#timer === null) this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
    }
  }

  /** Emit the partial batch now. */
  flush(): void {
    if (this.#points.length > 0) this.#cut();
    else this.#clearTimer();
  }

  /** Drop the timer (the offloader is gone). */
  close(): void {
    this.#clearTimer();
  }

  #cut(): void {
    this.#clearTimer();
    const points = this.#points;
    const tickets = this.#tickets;
    this.#points = [];
    this.#tickets = [];
    this.#emit(points, tickets);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
