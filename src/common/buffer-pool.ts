/**
 * Buffers of one size, handed back when their bytes are no longer needed
 * and handed out again.
 *
 * Why: V8 counts ArrayBuffer memory as external memory, and when it grows
 * past a limit since the last full GC, V8 starts one. A busy tailer that
 * made a fresh ~300 KB buffer for every read of wire bytes set off a full
 * GC about every second while its JS heap barely grew, and the marking was
 * a third of the agent's CPU per offloaded point (bench/offload). Reused
 * buffers are not new external memory.
 *
 * Whoever takes a buffer gives it back only once nothing reads it any more;
 * one never given back is simply collected (the pool then makes another).
 */
export class BufferPool {
  readonly size: number;
  readonly #free: Buffer[] = [];
  readonly #keep: number;

  /** `size`: bytes of every buffer; `keep`: at most this many are kept while unused. */
  constructor(size: number, keep: number) {
    this.size = size;
    this.#keep = keep;
  }

  /** A buffer of `size` bytes (contents undefined). */
  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** `b` (from `take`) is free again. */
  give(b: Buffer): void {
    // A buffer given back twice would be handed to two holders at once.
    if (b.length !== this.size || this.#free.length >= this.#keep || this.#free.includes(b)) return;
    this.#free.push(b);
  }

  /** Buffers kept for reuse now (tests, metrics). */
  get idle(): number {
    return this.#free.length;
  }
}
