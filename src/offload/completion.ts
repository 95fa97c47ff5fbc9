/**
 * Acknowledgement bookkeeping. A `Ticket` is one `send()` call: it settles
 * when every batch holding some of its points is settled. A `Completion`
 * is one flushed or spooled batch: splitting it (413) or partitioning it
 * (affinity) adds parts, and it settles once when the last part is done —
 * delivered, spooled or dead-lettered (`done`), refused (`fail`), or, for a
 * batch read from the spool, to be retried later (`retry`: the record is
 * handed back to the queue).
 */

export class Ticket {
  #remaining = 0;
  #error: Error | null = null;
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (e: Error) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** One more batch holds points of this call. */
  hold(): void {
    this.#remaining++;
  }

  release(error: Error | null): void {
    if (error !== null && this.#error === null) this.#error = error;
    if (--this.#remaining > 0) return;
    if (this.#error !== null) this.#reject(this.#error);
    else this.#resolve();
  }
}

export interface Settlement {
  /** The first failure of any part (the batch was neither delivered nor kept). */
  error: Error | null;
  /** Some part could not be delivered now and must be tried again later. */
  retry: boolean;
}

export class Completion {
  #pending = 1;
  #error: Error | null = null;
  #retry = false;
  readonly #onSettle: (s: Settlement) => void;

  constructor(onSettle: (s: Settlement) => void) {
    this.#onSettle = onSettle;
  }

  /** The batch became `n` more parts (a split or a partition). */
  addParts(n: number): void {
    this.#pending += n;
  }

  done(): void {
    this.#part();
  }

  fail(error: Error): void {
    if (this.#error === null) this.#error = error;
    this.#part();
  }

  retry(): void {
    this.#retry = true;
    this.#part();
  }

  #part(): void {
    if (--this.#pending === 0) this.#onSettle({ error: this.#error, retry: this.#retry });
  }
}
