/**
 * The DataWay uploader (SPEC §7). `write(category, points)` encodes the
 * points once in the upload encoding and appends them to the WAL of every
 * configured endpoint; it resolves when they are on disk — that is the
 * moment upstream may acknowledge. Per (endpoint, category) a
 * `CategorySender` drains its WAL to DataWay.
 *
 * WAL layout: `<walDir>/<endpoint-index>-<category>/` disk queues, at most
 * `walMaxBytes` each. Categories in `noDropCategories` refuse writes when
 * full (PLK_ERR_QUEUE_FULL: the HTTP API answers 503 and the sender
 * retries); others drop their oldest data, counted and logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient } from '../common/http-client.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { Metrics } from '../common/metrics.js';
import { type Category, categoryFromUrl } from '../point/category.js';
import { encodePoints } from '../point/codec/index.js';
import type { Point } from '../point/point.js';
import { DiskQueue, type FsyncPolicy } from '../storage/disk-queue.js';
import { CategorySender, type SenderSettings } from './category-sender.js';
import { DatawayEndpoint } from './endpoint.js';
import { type DatawayMetrics, datawayMetrics } from './metrics.js';
import { encodeWalRecord } from './wal-record.js';

export interface DatawayUploaderOptions {
  urls: string[];
  walDir: string;
  contentEncoding?: 'v1' | 'v2';
  gzip?: boolean;
  maxCacheCount?: number;
  maxRawBodySize?: number;
  maxRetryCount?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  maxBackoffMs?: number;
  /** Per category and endpoint; default 2 GiB. */
  walMaxBytes?: number;
  noDropCategories?: readonly Category[];
  fsync?: FsyncPolicy;
  userAgent?: string;
  http?: HttpClient;
  metrics?: Metrics;
  logger?: Logger;
}

export class DatawayUploader {
  readonly #endpoints: DatawayEndpoint[];
  readonly #opts: DatawayUploaderOptions;
  readonly #settings: SenderSettings;
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  readonly #metrics: DatawayMetrics;
  readonly #log: Logger;
  readonly #senders = new Map<Category, CategorySender[]>();
  #started = false;
  #stopped = false;

  constructor(opts: DatawayUploaderOptions) {
    if (opts.urls.length === 0) throw new Error('DatawayUploader: at least one DataWay URL is required');
    this.#opts = opts;
    this.#endpoints = opts.urls.map((u) => new DatawayEndpoint(u));
    this.#settings = {
      contentEncoding: opts.contentEncoding ?? 'v2',
      gzip: opts.gzip ?? true,
      maxCacheCount: opts.maxCacheCount ?? 1000,
      maxRawBodySize: opts.maxRawBodySize ?? 1024 * 1024,
      maxRetryCount: Math.min(10, Math.max(0, opts.maxRetryCount ?? 1)),
      retryDelayMs: opts.retryDelayMs ?? 1000,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      userAgent: opts.userAgent ?? 'plkit',
      instanceId: walInstanceId(opts.walDir),
    };
    this.#ownsHttp = opts.http === undefined;
    this.#http = opts.http ?? new HttpClient({ timeoutMs: this.#settings.timeoutMs });
    this.#metrics = datawayMetrics(opts.metrics ?? new Metrics());
    this.#log = opts.logger ?? silentLogger();
  }

  get endpoints(): readonly DatawayEndpoint[] {
    return this.#endpoints;
  }

  /** Start; every category that already has a WAL on disk gets its senders, so old data drains. */
  start(): void {
    this.#started = true;
    let names: string[] = [];
    try {
      names = readdirSync(this.#opts.walDir);
    } catch {
      // no WAL yet
    }
    for (const n of names) {
      const c = categoryFromUrl(n.replace(/^\d+-/, ''));
      if (c !== undefined) this.#sendersFor(c);
    }
    for (const list of this.#senders.values()) for (const s of list) s.start();
  }

  #sendersFor(category: Category): CategorySender[] {
    let list = this.#senders.get(category);
    if (list !== undefined) return list;
    const noDrop = this.#opts.noDropCategories?.includes(category) ?? false;
    list = this.#endpoints.map((ep, i) => {
      const q = DiskQueue.open(join(this.#opts.walDir, `${i}-${category}`), {
        maxBytes: this.#opts.walMaxBytes ?? 2 * 1024 ** 3,
        whenFull: noDrop ? 'block' : 'drop_oldest',
        fsync: this.#opts.fsync ?? 'interval',
        // Packages keep their X-Pkg-Id when re-sent, so a re-send after a crash is a duplicate DataWay drops.
        ackPersistMs: 50,
        onEvent: (e) => {
          if (e.type === 'dropped') this.#metrics.walDropped.inc({ category, reason: 'full' }, e.records);
          if (e.type === 'damage') this.#metrics.walDropped.inc({ category, reason: 'damaged' });
          this.#log.warn({ category, endpoint: String(ep), event: e }, 'dataway WAL event');
        },
      });
      const s = new CategorySender(category, q, ep, this.#http, this.#settings, this.#metrics, this.#log, i);
      if (this.#started) s.start();
      return s;
    });
    this.#senders.set(category, list);
    return list;
  }

  /**
   * Durably accept points for upload. Throws PLK_ERR_QUEUE_FULL for a full
   * no-drop category and PLK_ERR_QUEUE_WRITE when the disk fails; in both
   * cases nothing of this call was accepted by the first endpoint. With
   * `packageKey` the points form a package of their own whose `X-Pkg-Id`
   * is derived from the key (see wal-record.ts).
   */
  write(category: Category, points: readonly Point[], opts: { packageKey?: string } = {}): void {
    if (this.#stopped) throw new Error('DatawayUploader: stopped');
    if (points.length === 0) return;
    const senders = this.#sendersFor(category);
    const encoded = encodePoints(
      points as Point[],
      this.#settings.contentEncoding === 'v1' ? 'lp' : 'protobuf',
    );
    const frag = typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
    const rec = encodeWalRecord(points.length, frag, opts.packageKey ?? null);
    for (const s of senders) {
      s.queue.push(rec);
      s.notify();
    }
    this.#metrics.walPoints.inc({ category }, points.length);
  }

  /** Every WAL drained and nothing in flight. */
  get idle(): boolean {
    for (const list of this.#senders.values()) for (const s of list) if (!s.idle) return false;
    return true;
  }

  /** Wait until idle or `timeoutMs` passed; true when idle. */
  async drain(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.idle) {
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  /**
   * Stop: refuse new writes, give the senders up to `deadlineMs` to drain,
   * then abort what is in flight and close the WALs (unsent data stays on
   * disk for the next start). Idempotent.
   */
  async stop(opts: { deadlineMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.drain(opts.deadlineMs ?? 5000);
    const all: CategorySender[] = [];
    for (const list of this.#senders.values()) all.push(...list);
    await Promise.all(all.map((s) => s.stop({ abort: true })));
    for (const s of all) s.queue.close();
    if (this.#ownsHttp) await this.#http.close();
  }
}

/** A random id created once per WAL directory and kept in it (`instance-id`). */
function walInstanceId(walDir: string): string {
  const path = join(walDir, 'instance-id');
  try {
    const id = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return id;
  } catch {
    // first start: create it below
  }
  const id = randomBytes(8).toString('hex');
  try {
    mkdirSync(walDir, { recursive: true });
    writeFileSync(path, id);
  } catch {
    // an unwritable WAL directory fails loudly when the first queue opens
  }
  return id;
}
