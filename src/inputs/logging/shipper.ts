/**
 * Gathers the messages of one logging input into batches, hands each batch
 * to the feed, and reports deliveries back in the order the messages were
 * read — so a file position never passes an undelivered line even when a
 * later batch is delivered first.
 *
 * A batch that fails (DataWay WAL full, offload spool full in no-drop
 * mode…) is retried with back-off, never dropped: the readers stop reading
 * while `maxInFlight` batches are outstanding, which is the back-pressure
 * that reaches the log files (they simply wait on disk). At stop, what is
 * not delivered is not acknowledged, so it is read again after a restart.
 */
import type { Logger } from '../../common/logger.js';

export interface ShipperOptions<T> {
  /** Deliver one batch; resolves when it is durably accepted downstream. */
  send: (items: T[]) => Promise<void>;
  /** Called for every delivered batch, in the order the batches were made. */
  delivered: (items: T[]) => void;
  /** Messages per batch (an item may stand for several: `add`'s weight). */
  batchSize: number;
  /** A partly filled batch leaves after this long. */
  flushMs: number;
  maxInFlight: number;
  /** First retry delay; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  logger: Logger;
  /** Name for log lines (the input's source and conf origin). */
  name: string;
}

interface InFlight<T> {
  items: T[];
  done: boolean;
}

export class Shipper<T> {
  readonly #o: ShipperOptions<T>;
  #current: T[] = [];
  /** Messages in `#current`. */
  #weight = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Batches sent and not yet reported delivered, oldest first. */
  readonly #inFlight: InFlight<T>[] = [];
  #waiters: (() => void)[] = [];
  #stopped = false;
  #failingSince: number | null = null;
  readonly #settled = new Set<Promise<void>>();

  constructor(o: ShipperOptions<T>) {
    this.#o = o;
  }

  /** True while the readers should wait (`waitForRoom`). */
  get full(): boolean {
    return this.#inFlight.length >= this.#o.maxInFlight;
  }

  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** Messages gathered and not sent yet. */
  get buffered(): number {
    return this.#weight;
  }

  waitForRoom(): Promise<void> {
    if (!this.full || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** One item standing for `weight` messages (a whole read, on the byte road). */
  add(item: T, weight = 1): void {
    this.#current.push(item);
    this.#weight += weight;
    if (this.#weight >= this.#o.batchSize) this.flush();
    else if (this.#timer === null) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.flush();
      }, this.#o.flushMs);
    }
  }

  /** Send what is gathered now. */
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#current.length === 0 || this.#stopped) return;
    const f: InFlight<T> = { items: this.#current, done: false };
    this.#current = [];
    this.#weight = 0;
    this.#inFlight.push(f);
    const p = this.#deliver(f);
    this.#settled.add(p);
    void p.finally(() => this.#settled.delete(p));
  }

  async #deliver(f: InFlight<T>): Promise<void> {
    let delay = this.#o.retryMs ?? 500;
    const maxDelay = this.#o.maxRetryMs ?? 30_000;
    for (;;) {
      try {
        await this.#o.send(f.items);
        break;
      } catch (e) {
        if (this.#stopped) return;
        if (this.#failingSince === null) {
          this.#failingSince = Date.now();
          this.#o.logger.error(
            { input: this.#o.name, points: f.items.length, err: (e as Error).message, retryInMs: delay },
            'logging input: a batch was not accepted downstream; retrying (reading waits, nothing is dropped)',
          );
        }
        await sleep(delay);
        if (this.#stopped) return;
        delay = Math.min(delay * 2, maxDelay);
      }
    }
    if (this.#failingSince !== null) {
      this.#o.logger.info(
        { input: this.#o.name, failedForMs: Date.now() - this.#failingSince },
        'logging input: batches are accepted again',
      );
      this.#failingSince = null;
    }
    f.done = true;
    // Report in order: only the finished head of the line moves positions.
    while (this.#inFlight.length > 0 && this.#inFlight[0]!.done) {
      const head = this.#inFlight.shift()!;
      this.#o.delivered(head.items);
    }
    if (!this.full) {
      const w = this.#waiters;
      this.#waiters = [];
      for (let i = 0; i < w.length; i++) w[i]!();
    }
  }

  /**
   * Send what is gathered and wait up to `deadlineMs` for the batches in
   * flight; then stop retrying. Undelivered lines stay unacknowledged.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.flush();
    const all = Promise.all([...this.#settled]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, deadlineMs)))]);
    clearTimeout(timer);
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    const w = this.#waiters;
    this.#waiters = [];
    for (let i = 0; i < w.length; i++) w[i]!();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
