/**
 * The offloader: the agent side of Pipeline Offload, implementing io/feed's
 * `OffloadSink`.
 *
 *   send(points) → Batcher (batch_size | flush_interval) → receiver
 *                                            ↘ spool (no receiver) ↗ drain
 *
 * `send()` resolves only when every one of its points was answered 2xx by
 * a receiver, written to the spool, or written to the dead-letter file;
 * it rejects (PLK_ERR_OFFLOAD_FULL under `when_full = "block"`) when the
 * spool refused them, so the caller's sender retries.
 *
 * Ordering: while the spool holds anything, new batches are spooled too
 * and the spool drains oldest first (with the same in-flight bound as
 * live traffic, so requests start in order; with one batch in flight per
 * receiver they also arrive in order), so a receiver outage does not
 * reorder logs; with the spool empty, batches go straight out. Batches
 * that find no receiver enter the spool in the order they were cut, not
 * the order their attempts failed in: a batch waits for older batches
 * still in flight to settle before it is written. Batches in memory
 * waiting for an in-flight slot are bounded by the callers waiting on
 * them (back-pressure).
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BufferPool } from '../common/buffer-pool.js';
import { HttpClient } from '../common/http-client.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { Metrics } from '../common/metrics.js';
import { PlkError } from '../common/plk-error.js';
import type { OffloadSink } from '../io/feed.js';
import type { Point } from '../point/point.js';
import { Balancer } from './balancer.js';
import { type Batch, bodyOf, joinEncoded, makeBatch, newBatchId } from './batch.js';
import { Batcher, type EncodedPoints } from './batcher.js';
import { Completion, Ticket } from './completion.js';
import { DeadLetterFile } from './dead-letter.js';
import { Delivery } from './delivery.js';
import { HealthChecker } from './health-checker.js';
import { refuseSelfAddresses } from './loop-guard.js';
import { type OffloadMetrics, offloadMetrics } from './metrics.js';
import { type OffloaderOptions, type ResolvedOffloaderOptions, resolveOptions } from './options.js';
import { type ReceiverWire, type WireEncoding, wireOf } from './receivers/index.js';
import { Spool, type SpoolEntry } from './spool.js';
import { Target } from './target.js';

export interface ReceiverStatus {
  address: string;
  state: 'healthy' | 'ejected';
  throttled: boolean;
  inFlight: number;
}

export interface OffloaderStatus {
  receivers: ReceiverStatus[];
  /** Points waiting for the batch to fill. */
  buffered: number;
  /** Batches in memory not settled yet (sending or waiting for a slot). */
  openBatches: number;
  spoolBatches: number;
  spoolBytes: number;
}

export class Offloader implements OffloadSink {
  readonly #o: ResolvedOffloaderOptions;
  readonly #wire: ReceiverWire;
  readonly #targets: Target[];
  readonly #balancer: Balancer;
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #metrics: OffloadMetrics;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  readonly #health: HealthChecker;
  readonly #delivery: Delivery;
  readonly #deadLetter: DeadLetterFile;
  readonly #batcher: Batcher;
  /** Request bodies, reused (fresh ones set off V8's full GCs: common/buffer-pool.ts). */
  readonly #bodyPool: BufferPool;
  #spool: Spool | null = null;
  /** Memory batches waiting for an in-flight slot (FIFO; `#head` is the next). */
  #waiting: Batch[] = [];
  #head = 0;
  /** Deliveries running (fresh and spooled batches alike). */
  #active = 0;
  /** Memory batches not settled yet. */
  #open = 0;
  #seq = 0;
  /** Seqs of memory batches not settled yet, oldest first. */
  readonly #openSeqs = new Set<number>();
  /** Memory batches (or parts) to spool once every older batch has settled or joined them, by seq. */
  #toSpoolQueue: Batch[] = [];
  #spooling = false;
  /** Bumped when a receiver may take batches again; a spool drain that found none waits for it. */
  #epoch = 0;
  #drainBlockedAt = -1;
  #pumping = false;
  #started = false;
  #stopping = false;
  #stopped = false;

  constructor(opts: OffloaderOptions) {
    this.#o = resolveOptions(opts);
    // Every request in flight listens on the one stop signal.
    setMaxListeners(0, this.#abort.signal);
    this.#wire = wireOf(this.#o.receiver);
    this.#targets = this.#o.addresses.map((a, i) => new Target(i, a, this.#wire.path));
    this.#balancer = new Balancer(
      this.#targets,
      this.#o.balance,
      this.#o.maxInFlightPerReceiver,
      this.#o.affinityKeys,
    );
    this.#ownsHttp = opts.http === undefined;
    this.#http =
      opts.http ??
      new HttpClient({
        timeoutMs: this.#o.timeoutMs,
        connections: Math.max(4, this.#o.maxInFlightPerReceiver + 1),
        ca: this.#o.tlsCaPem,
        insecureSkipVerify: this.#o.tlsInsecureSkipVerify,
        // A request per batch of ~128 points: the lean transport is a large share of the agent's saving.
        transport: 'h1',
      });
    this.#metrics = offloadMetrics(opts.metrics ?? new Metrics());
    this.#log = opts.logger ?? silentLogger();
    this.#health = new HealthChecker(
      this.#http,
      this.#o,
      () => this.#receiversChanged(),
      this.#metrics,
      this.#log,
    );
    this.#deadLetter = new DeadLetterFile(this.#o.deadLetterPath, this.#o.deadLetterMaxBytes);
    this.#delivery = new Delivery({
      balancer: this.#balancer,
      wire: this.#wire,
      http: this.#http,
      health: this.#health,
      metrics: this.#metrics,
      deadLetter: this.#deadLetter,
      log: this.#log,
      token: this.#o.token,
      timeoutMs: this.#o.timeoutMs,
      defaultRetryAfterMs: this.#o.defaultRetryAfterMs,
      maxRetryAfterMs: this.#o.maxRetryAfterMs,
      signal: this.#abort.signal,
      onUnavailable: (b) => this.#unavailable(b),
      onThrottleEnd: () => this.#receiversChanged(),
    });
    // Bodies of ~512 B per point fit a pooled buffer; batches in flight, plus the one filling, are held.
    const bodyBytes = Math.min(
      8 << 20,
      Math.max(64 << 10, Math.ceil((this.#o.batchSize * 512) / 65536) * 65536),
    );
    this.#bodyPool = new BufferPool(bodyBytes, this.#o.maxInFlightPerReceiver * this.#targets.length + 2);
    this.#batcher = new Batcher(
      this.#o.batchSize,
      this.#o.flushIntervalMs,
      (points, chunks, count, tickets, pooled) => this.#emit(points, chunks, count, tickets, pooled),
      this.#bodyPool,
    );
  }

  /**
   * Refuse addresses that loop back to this agent, open the spool (batches
   * left from an earlier run start draining), and accept points.
   */
  async start(): Promise<void> {
    if (this.#started || this.#stopping) return;
    await refuseSelfAddresses(this.#targets, this.#o.selfListen);
    mkdirSync(dirname(this.#o.spoolPath), { recursive: true });
    this.#spool = Spool.open(this.#o.spoolPath, {
      capacityBytes: Math.floor(this.#o.spoolCapacityMiB * 1024 * 1024),
      whenFull: this.#o.whenFull,
      fsync: this.#o.fsync,
      onDropped: (records, points, reason) => {
        this.#metrics.spoolDropped.inc(
          { reason: reason.startsWith('spool full') ? 'full' : 'damaged' },
          records,
        );
        if (points > 0) {
          const labels = { category: 'logging', exporter: this.#wire.kind, remote: 'spool' };
          this.#metrics.errorPoints.inc(labels, points);
          this.#metrics.points.inc(labels, points);
        }
        this.#log.warn({ records, points, reason }, 'offload spool dropped batches');
      },
    });
    for (const t of this.#targets) {
      this.#metrics.healthy.set({ remote: t.host }, 1);
      this.#metrics.inFlight.set({ remote: t.host }, 0);
    }
    this.#spoolGauges();
    this.#started = true;
    this.#log.info(
      {
        receiver: this.#wire.kind,
        addresses: this.#targets.map((t) => t.base),
        balance: this.#o.balance,
        spool_batches: this.#spool.pending,
      },
      'offloader started',
    );
    this.#pump();
  }

  /** Offload unprocessed points; resolves when all are delivered, spooled or dead-lettered. */
  send(points: Point[]): Promise<void> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.reject(refused);
    if (points.length === 0) return Promise.resolve();
    const ticket = new Ticket();
    // Held while adding, so a batch settled synchronously cannot resolve the call early.
    ticket.hold();
    this.#batcher.add(points, ticket);
    ticket.release(null);
    return ticket.promise;
  }

  /**
   * The encoding `sendEncoded` takes (the receiver's), or null when points
   * must come as objects: affinity routes each point by its key values.
   */
  get encodedWire(): WireEncoding | null {
    return this.#o.balance === 'affinity' ? null : this.#wire.encoding;
  }

  /** Like `send`, for points already in `encodedWire`'s encoding (see point/codec/lp-forward.ts). */
  sendEncoded(points: EncodedPoints): Promise<void> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.reject(refused);
    if (this.encodedWire === null) {
      return Promise.reject(
        new PlkError('PLK_ERR_OFFLOAD_CONFIG', 'affinity balancing needs points, not bytes'),
      );
    }
    if (points.count === 0) return Promise.resolve();
    const ticket = new Ticket();
    ticket.hold();
    this.#batcher.addEncoded(points, ticket);
    ticket.release(null);
    return ticket.promise;
  }

  #refusal(): PlkError | null {
    if (this.#started && !this.#stopping) return null;
    return new PlkError(
      'PLK_ERR_OFFLOAD_STOPPED',
      this.#started ? 'offloader is stopping' : 'offloader is not started',
    );
  }

  status(): OffloaderStatus {
    const now = Date.now();
    const st = this.#spool?.stats();
    return {
      receivers: this.#targets.map((t) => ({
        address: t.base,
        state: t.state,
        throttled: t.throttledUntil > now,
        inFlight: t.inFlight,
      })),
      buffered: this.#batcher.buffered,
      openBatches: this.#open,
      spoolBatches: st?.pending ?? 0,
      spoolBytes: st?.bytes ?? 0,
    };
  }

  #emit(points: Point[], chunks: Uint8Array[], count: number, tickets: Ticket[], pooled: Buffer[]): void {
    const seq = ++this.#seq;
    const c = new Completion((s) => {
      // Settled: delivered, spooled or refused, and no request still writes the body (a failed one's
      // connection is destroyed before it reports), so its buffers may be reused.
      for (let i = 0; i < pooled.length; i++) this.#bodyPool.give(pooled[i]!);
      for (let i = 0; i < tickets.length; i++) tickets[i]!.release(s.error);
      this.#open--;
      this.#openSeqs.delete(seq);
      this.#spoolInOrder();
    });
    this.#open++;
    this.#openSeqs.add(seq);
    const b =
      chunks.length === 0
        ? makeBatch(newBatchId(), points, null, null, count, c, false)
        : makeBatch(
            newBatchId(),
            null,
            joinEncoded(this.#wire, points, chunks),
            this.#wire.encoding,
            count,
            c,
            false,
          );
    b.seq = seq;
    // Keep order behind what the spool holds; and without any receiver there is nothing to wait for.
    if (this.#spoolBusy() || this.#balancer.availableCount(Date.now()) === 0) this.#toSpool(b);
    else this.#waiting.push(b);
    this.#pump();
  }

  /** The spool holds batches, or is about to. */
  #spoolBusy(): boolean {
    return this.#toSpoolQueue.length > 0 || (this.#spool !== null && this.#spool.pending > 0);
  }

  /** Start deliveries while there are slots: memory batches first, then the spool, oldest first. */
  #pump(): void {
    if (this.#pumping || this.#spool === null) return;
    this.#pumping = true;
    try {
      for (;;) {
        const available = this.#balancer.availableCount(Date.now());
        if (this.#active >= this.#o.maxInFlightPerReceiver * Math.max(1, available)) break;
        let b: Batch | null = null;
        if (this.#head < this.#waiting.length) {
          b = this.#waiting[this.#head++]!;
          if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
            this.#waiting = this.#waiting.slice(this.#head);
            this.#head = 0;
          }
          if (this.#spoolBusy()) {
            this.#toSpool(b);
            continue;
          }
        } else if (!this.#stopping && available > 0 && this.#drainBlockedAt !== this.#epoch) {
          const e = this.#spool.pop();
          if (e === null) break;
          b = this.#fromSpool(e);
        } else break;
        this.#start(b);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #start(b: Batch): void {
    this.#active++;
    this.#delivery
      .deliver(b)
      .catch((e: unknown) => b.completion.fail(e as Error))
      .finally(() => {
        this.#active--;
        this.#pump();
      });
  }

  #fromSpool(e: SpoolEntry): Batch {
    const spool = this.#spool!;
    // A receiver that came back while this batch was out unblocks the drain at once.
    const epoch = this.#epoch;
    const c = new Completion((s) => {
      if (s.retry || s.error !== null) {
        spool.nack(e.recordId);
        this.#drainBlockedAt = epoch;
      } else spool.ack(e.recordId);
      this.#spoolGauges();
    });
    return makeBatch(e.id, null, e.body, e.encoding, e.count, c, true);
  }

  #unavailable(b: Batch): void {
    if (b.fromSpool) b.completion.retry();
    else this.#toSpool(b);
  }

  /** Queue a memory batch for the spool; it is written once all older batches settled or queued. */
  #toSpool(b: Batch): void {
    const q = this.#toSpoolQueue;
    let i = q.length;
    while (i > 0 && q[i - 1]!.seq > b.seq) i--;
    q.splice(i, 0, b);
    this.#spoolInOrder();
  }

  #spoolInOrder(): void {
    if (this.#spooling) return;
    this.#spooling = true;
    try {
      const q = this.#toSpoolQueue;
      while (q.length > 0) {
        const oldestOpen = this.#openSeqs.values().next().value;
        if (oldestOpen !== undefined && oldestOpen < q[0]!.seq) break;
        this.#writeToSpool(q.shift()!);
      }
    } finally {
      this.#spooling = false;
    }
  }

  #writeToSpool(b: Batch): void {
    const spool = this.#spool;
    try {
      if (spool === null) throw new PlkError('PLK_ERR_OFFLOAD_STOPPED', 'offloader is stopped');
      const body = bodyOf(b, this.#wire);
      spool.push(b.id, b.count, this.#wire.encoding, body);
    } catch (e) {
      this.#log.warn({ err: (e as Error).message, batch: b.id, points: b.count }, 'offload: batch refused');
      b.completion.fail(e as Error);
      return;
    }
    this.#metrics.spooled.inc(b.count);
    this.#spoolGauges();
    b.completion.done();
  }

  #receiversChanged(): void {
    this.#epoch++;
    this.#delivery.changed();
    this.#pump();
  }

  #spoolGauges(): void {
    const st = this.#spool?.stats();
    if (st === undefined) return;
    this.#metrics.spoolBytes.set(st.bytes);
    this.#metrics.spoolBatches.set(st.pending);
  }

  async #settle(untilMs: number): Promise<boolean> {
    while (this.#open > 0 || this.#active > 0) {
      if (Date.now() >= untilMs) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /**
   * Flush the partial batch, give batches in flight until the deadline to
   * be delivered, then put what is left into the spool (it is sent after
   * the next start) and close. Idempotent; safe without start().
   */
  async stop(opts: { deadlineMs?: number } = {}): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#started) {
      this.#batcher.flush();
      const deadline = Date.now() + (opts.deadlineMs ?? this.#o.stopDeadlineMs);
      if (!(await this.#settle(deadline))) {
        this.#abort.abort(new Error('offloader stopping'));
        this.#delivery.changed();
        await this.#settle(Number.POSITIVE_INFINITY);
      }
    }
    this.#batcher.close();
    this.#abort.abort(new Error('offloader stopped'));
    this.#delivery.stop();
    this.#health.stop();
    this.#spool?.close();
    this.#spool = null;
    this.#deadLetter.close();
    if (this.#ownsHttp) await this.#http.close();
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}
