/**
 * Sends one category's WAL to one DataWay endpoint. Batches form naturally:
 * the sender takes whatever the WAL holds (up to `max_cache_count` points or
 * `max_raw_body_size` bytes) whenever it is idle, so a lone point goes out
 * at once and a busy stream goes out in full batches. A batch leaves the
 * WAL only when DataWay answered 2xx, or 4xx (rejected: retrying cannot
 * help; counted and logged). 5xx and transport errors are retried
 * `max_retry_count` times `retry_delay` apart, then the batch stays in the
 * WAL and the sender backs off exponentially before trying again.
 */
import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { HttpClient } from '../common/http-client.js';
import type { Logger } from '../common/logger.js';
import type { Category } from '../point/category.js';
import type { DiskQueue, QueueRecord } from '../storage/disk-queue.js';
import type { DatawayEndpoint } from './endpoint.js';
import type { DatawayMetrics } from './metrics.js';
import { decodeWalRecord, joinFragments, peekWalRecord } from './wal-record.js';

const gzip = promisify(gzipCb);

export interface SenderSettings {
  contentEncoding: 'v1' | 'v2';
  gzip: boolean;
  maxCacheCount: number;
  maxRawBodySize: number;
  maxRetryCount: number;
  retryDelayMs: number;
  timeoutMs: number;
  maxBackoffMs: number;
  userAgent: string;
  /** Stable identity of this WAL (persisted beside it), so a package keeps its id across restarts. */
  instanceId: string;
}

const CONTENT_TYPE = {
  v1: 'application/line-protocol',
  v2: 'application/protobuf; proto=com.guance.Point',
} as const;

export class CategorySender {
  readonly category: Category;
  readonly #queue: DiskQueue;
  readonly #endpoint: DatawayEndpoint;
  readonly #http: HttpClient;
  readonly #s: SenderSettings;
  readonly #metrics: DatawayMetrics;
  readonly #log: Logger;
  readonly #endpointIndex: number;
  #wake: (() => void) | null = null;
  #stopWake: (() => void) | null = null;
  #stopping = false;
  #loop: Promise<void> | null = null;
  #abort = new AbortController();

  constructor(
    category: Category,
    queue: DiskQueue,
    endpoint: DatawayEndpoint,
    http: HttpClient,
    settings: SenderSettings,
    metrics: DatawayMetrics,
    log: Logger,
    endpointIndex = 0,
  ) {
    this.#endpointIndex = endpointIndex;
    this.category = category;
    this.#queue = queue;
    this.#endpoint = endpoint;
    this.#http = http;
    this.#s = settings;
    this.#metrics = metrics;
    this.#log = log;
  }

  get queue(): DiskQueue {
    return this.#queue;
  }

  start(): void {
    if (this.#loop === null) this.#loop = this.#run();
  }

  /** New data is in the WAL. */
  notify(): void {
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  /** Stop after the batch in flight (or at once, when `abort`). Unsent data stays in the WAL. */
  async stop(opts: { abort?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    if (opts.abort) this.#abort.abort(new Error('uploader stopping'));
    this.notify();
    this.#stopWake?.();
    await this.#loop;
  }

  /** Nothing waiting and nothing in flight. */
  get idle(): boolean {
    return this.#queue.waiting === 0 && this.#queue.stats().inFlight === 0;
  }

  async #run(): Promise<void> {
    let backoff = 0;
    while (!this.#stopping) {
      const batch = this.#takeBatch();
      if (batch.length === 0) {
        await new Promise<void>((r) => {
          this.#wake = r;
        });
        continue;
      }
      const ok = await this.#deliver(batch);
      if (ok) {
        backoff = 0;
        continue;
      }
      for (const r of batch) this.#queue.nack(r.id);
      backoff = Math.min(this.#s.maxBackoffMs, backoff === 0 ? this.#s.retryDelayMs : backoff * 2);
      await this.#sleep(backoff);
    }
  }

  /** Records for one request; a keyed record (a package of its own) always travels alone. */
  #takeBatch(): QueueRecord[] {
    const out: QueueRecord[] = [];
    let points = 0;
    let bytes = 0;
    while (points < this.#s.maxCacheCount && bytes < this.#s.maxRawBodySize) {
      const r = this.#queue.pop();
      if (r === null) break;
      const { count, keyed } = peekWalRecord(r.payload);
      if (keyed) {
        if (out.length === 0) return [r];
        this.#queue.nack(r.id);
        break;
      }
      if (
        out.length > 0 &&
        (points + count > this.#s.maxCacheCount || bytes + r.payload.length > this.#s.maxRawBodySize)
      ) {
        this.#queue.nack(r.id);
        break;
      }
      out.push(r);
      points += count;
      bytes += r.payload.length;
    }
    return out;
  }

  /** True when the batch left the WAL for good (delivered or rejected). */
  async #deliver(batch: QueueRecord[]): Promise<boolean> {
    const frags: Buffer[] = [];
    let points = 0;
    let key: string | null = null;
    for (const r of batch) {
      const rec = decodeWalRecord(r.payload);
      if (rec === null) continue;
      frags.push(rec.fragment);
      points += rec.count;
      key = rec.key;
    }
    const raw = joinFragments(frags, this.#s.contentEncoding === 'v1');
    const body = this.#s.gzip ? await gzip(raw) : raw;
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPE[this.#s.contentEncoding],
      'X-Points': String(points),
      // Derived from the WAL record ids, or from the package key: a batch
      // re-sent after a crash or a retry (or, keyed, uploaded by another
      // processor too) carries the same id, so DataWay can drop the copy.
      'X-Pkg-Id':
        key !== null
          ? `${this.category}-k-${key}`
          : `${this.#s.instanceId}-${this.category}-${this.#endpointIndex}-${batch[0]!.id}-${batch[batch.length - 1]!.id}`,
      'User-Agent': this.#s.userAgent,
    };
    if (this.#s.gzip) headers['Content-Encoding'] = 'gzip';
    const url = this.#endpoint.writeUrl(this.category);
    const api = `POST@/v1/write/${this.category}`;
    for (let attempt = 0; attempt <= this.#s.maxRetryCount; attempt++) {
      if (attempt > 0) {
        this.#metrics.retries.inc({ category: this.category, status: 'retry' });
        if (!(await this.#sleep(this.#s.retryDelayMs))) return false;
      }
      const t0 = performance.now();
      let status: number;
      let answer = '';
      try {
        const res = await this.#http.send({
          url,
          method: 'POST',
          headers,
          body,
          timeoutMs: this.#s.timeoutMs,
          maxResponseBytes: 64 * 1024,
          signal: this.#abort.signal,
        });
        status = res.status;
        answer = res.body.toString('utf8').slice(0, 512);
      } catch (e) {
        this.#metrics.latency.observe({ api, status: 'transport_error' }, (performance.now() - t0) / 1000);
        this.#log.warn(
          { category: this.category, endpoint: String(this.#endpoint), err: (e as Error).message, attempt },
          'dataway upload failed',
        );
        if (this.#stopping && this.#abort.signal.aborted) return false;
        continue;
      }
      const statusText = STATUS_CODES[status] ?? String(status);
      this.#metrics.latency.observe({ api, status: statusText }, (performance.now() - t0) / 1000);
      this.#metrics.points.inc({ category: this.category, status: statusText }, points);
      this.#metrics.bytes.inc(
        { category: this.category, enc: this.#s.gzip ? 'gzip' : 'raw', status: statusText },
        body.length,
      );
      if (status >= 200 && status < 300) {
        for (const r of batch) this.#queue.ack(r.id);
        return true;
      }
      if (status >= 400 && status < 500) {
        this.#log.error(
          { category: this.category, endpoint: String(this.#endpoint), status, answer, points },
          'dataway rejected the batch (4xx); dropped',
        );
        this.#metrics.rejected.inc({ category: this.category }, points);
        for (const r of batch) this.#queue.ack(r.id);
        return true;
      }
      this.#log.warn(
        { category: this.category, endpoint: String(this.#endpoint), status, answer, attempt },
        'dataway answered 5xx',
      );
    }
    return false;
  }

  /** Sleep (new data does not cut it short, only stop does); false when stopping. */
  #sleep(ms: number): Promise<boolean> {
    if (this.#stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#stopWake = null;
        resolve(true);
      }, ms);
      this.#stopWake = () => {
        clearTimeout(t);
        this.#stopWake = null;
        resolve(false);
      };
    });
  }
}
