/**
 * The `ploffload` input: `POST /v1/write/ploffload/:category`, the
 * receiving side of Pipeline Offload (DataKit's wire; SPEC §6).
 *
 * A request is answered 2xx only once its batch is durable:
 * - with `[inputs.ploffload.storage]`: the request is checked, written to
 *   the disk cache (a disk queue under `storage.path`) and answered; one
 *   worker feeds the cached requests through io/feed, oldest first, and a
 *   request leaves the cache only when Feed accepted it (uploader WAL).
 *   DataKit answers after an in-memory enqueue; a full cache here answers
 *   503 + Retry-After instead of dropping.
 * - without storage: the points go through Feed (pipeline, then the
 *   uploader's WAL) before the answer.
 * Points that come in here arrived offloaded: they are never offloaded
 * again (loop prevention).
 *
 * Batches carrying `X-Plkit-Batch-Id` are deduplicated: an id accepted
 * within the window (persisted across restarts) is answered 200 without
 * processing, and a second copy arriving while the first is still being
 * accepted waits for the first's outcome.
 */
import { join } from 'node:path';
import { type Logger, silentLogger } from '../../common/logger.js';
import { Metrics } from '../../common/metrics.js';
import type { PloffloadInputConfig } from '../../config/types.js';
import type { Feed } from '../../io/feed.js';
import { type Category, categoryFromUrl } from '../../point/category.js';
import type { Point } from '../../point/point.js';
import { ApiError } from '../../server/api-error.js';
import type { ApiServer } from '../../server/api-server.js';
import { readDecodedBody } from '../../server/http-util.js';
import type { RequestContext } from '../../server/router.js';
import { DiskQueue, type FsyncPolicy } from '../../storage/index.js';
import { downstreamError } from '../http-write/index.js';
import { BatchIdWindow, isUsableBatchId } from './batch-id-window.js';
import { type PloffloadMetrics, ploffloadMetrics } from './metrics.js';
import { decodeOffloadBody } from './offload-body.js';
import { decodeRequestRecord, encodeRequestRecord } from './request-record.js';

export const PLOFFLOAD_ROUTE = '/v1/write/ploffload/:category';
const JOB_CHANNEL = 'job_channel';
const DISK_CHANNEL = 'disk_cache';

export interface PloffloadInputOptions {
  server: ApiServer;
  feed: Feed;
  /** `[inputs.ploffload]`: storage null processes each request before answering it. */
  config: PloffloadInputConfig;
  /** Where the batch-id window is kept when no storage is configured; absent = memory only. */
  stateDir?: string;
  /** Largest request body (after decompression). Default 64 MiB. */
  maxBodyBytes?: number;
  /** Requests processed at once without storage; beyond, 503 (DataKit's job channel holds 128). */
  maxConcurrent?: number;
  dedupeWindowMs?: number;
  dedupeMaxIds?: number;
  /** Pause after Feed refused a cached request (downstream full). Default 1 s. */
  retryDelayMs?: number;
  fsync?: FsyncPolicy;
  metrics?: Metrics;
  logger?: Logger;
  /** Receive-time clock in ns (tests pin it). */
  now?: () => bigint;
}

export class PloffloadInput {
  readonly #o: PloffloadInputOptions;
  readonly #metrics: PloffloadMetrics;
  readonly #log: Logger;
  readonly #now: () => bigint;
  readonly #maxConcurrent: number;
  readonly #inProgress = new Map<string, Promise<void>>();
  #window: BatchIdWindow | null = null;
  #queue: DiskQueue | null = null;
  #running = false;
  #registered = false;
  #busy = 0;
  #worker: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(opts: PloffloadInputOptions) {
    this.#o = opts;
    this.#metrics = ploffloadMetrics(opts.metrics ?? new Metrics());
    this.#log = opts.logger ?? silentLogger();
    this.#now = opts.now ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.#maxConcurrent = opts.maxConcurrent ?? 128;
  }

  /** Open the disk cache and the batch-id window, start the worker, register the route. */
  start(): void {
    if (this.#running) return;
    const storage = this.#o.config.storage;
    const windowOpts = { windowMs: this.#o.dedupeWindowMs, maxIds: this.#o.dedupeMaxIds };
    const stateDir = storage?.path ?? this.#o.stateDir;
    this.#window = BatchIdWindow.open(
      stateDir === undefined ? null : join(stateDir, 'batch-ids.log'),
      windowOpts,
    );
    if (storage !== null) {
      const capacity = Math.floor(storage.capacityMiB * 1024 * 1024);
      this.#queue = DiskQueue.open(join(storage.path, 'queue'), {
        maxBytes: capacity,
        whenFull: 'block',
        fsync: this.#o.fsync ?? 'interval',
        // A request processed again after a crash uploads under the same package keys: DataWay drops the copy.
        ackPersistMs: 50,
        onEvent: (e) => {
          this.#log.warn({ event: e }, 'ploffload disk cache event');
          if (e.type === 'damage') this.#metrics.cacheDropped.inc({ reason: 'damaged' });
        },
      });
      this.#metrics.chanCapacity.set({ channel_name: DISK_CHANNEL }, capacity);
      this.#metrics.chanCapacity.set({ channel_name: JOB_CHANNEL }, 1);
    } else {
      this.#metrics.chanCapacity.set({ channel_name: JOB_CHANNEL }, this.#maxConcurrent);
    }
    this.#running = true;
    this.#gauges();
    if (this.#queue !== null) this.#worker = this.#work(this.#queue);
    if (!this.#registered) {
      this.#o.server.route('POST', PLOFFLOAD_ROUTE, (ctx) => this.#handle(ctx));
      this.#registered = true;
    }
  }

  /** Cached requests not processed yet (0 without storage). */
  get backlog(): number {
    return this.#queue?.stats().pending ?? 0;
  }

  async #handle({ req, res, params, query }: RequestContext): Promise<void> {
    const category = categoryFromUrl((params.category ?? '').toLowerCase());
    try {
      if (!this.#running) throw stopping();
      if (category === undefined) {
        throw new ApiError(400, 'invalidCategory', `invalid category ${JSON.stringify(params.category)}`);
      }
      const body = await readDecodedBody(req, query, this.#o.maxBodyBytes ?? 64 * 1024 * 1024);
      if (body.length === 0) throw new ApiError(400, 'emptyBody', 'empty request body');
      const rawId = req.headers['x-plkit-batch-id'];
      const batchId = isUsableBatchId(rawId) ? rawId : null;
      if (batchId === null || !(await this.#seen(batchId))) {
        const contentType = String(req.headers['content-type'] ?? '');
        const work = this.#accept(category, body, contentType, query, batchId);
        if (batchId !== null) this.#inProgress.set(batchId, work);
        try {
          await work;
        } finally {
          if (batchId !== null && this.#inProgress.get(batchId) === work) this.#inProgress.delete(batchId);
        }
      } else {
        this.#metrics.duplicates.inc({ category });
      }
    } catch (e) {
      const err = e instanceof ApiError ? e : downstreamError(e);
      this.#metrics.refused.inc({ category: category ?? 'unknown', code: err.code });
      throw err;
    }
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
  }

  /** True when this batch id was accepted already (or is being accepted right now and succeeds). */
  async #seen(id: string): Promise<boolean> {
    if (this.#window!.has(id)) return true;
    const pending = this.#inProgress.get(id);
    if (pending === undefined) return false;
    try {
      await pending;
      return true;
    } catch {
      return this.#window!.has(id);
    }
  }

  async #accept(
    category: Category,
    body: Uint8Array,
    contentType: string,
    query: URLSearchParams,
    batchId: string | null,
  ): Promise<void> {
    const receivedNs = this.#now();
    const points = decodeOffloadBody(category, body, contentType, query, receivedNs);
    if (!this.#running) throw stopping();
    const q = this.#queue;
    if (this.#o.config.storage !== null && q !== null) {
      q.push(
        encodeRequestRecord({ category, contentType, query: query.toString(), batchId, receivedNs, body }),
      );
      if (batchId !== null) this.#window!.add(batchId);
      this.#gauges();
      const w = this.#wake;
      this.#wake = null;
      w?.();
      return;
    }
    if (this.#busy >= this.#maxConcurrent) {
      throw new ApiError(503, 'serviceBusy', `${this.#busy} offloaded batches in progress; retry later`, {
        headers: { 'Retry-After': '1' },
      });
    }
    this.#busy++;
    this.#gauges();
    try {
      await this.#feed(category, points, query, batchId);
    } finally {
      this.#busy--;
      this.#gauges();
    }
    if (batchId !== null) this.#window!.add(batchId);
  }

  async #feed(
    category: Category,
    points: Point[],
    query: URLSearchParams,
    batchId: string | null,
  ): Promise<void> {
    await this.#o.feed.feed({
      category,
      points,
      input: query.get('input') || 'ploffload',
      ignoreGlobalHostTags: query.has('ignore_global_host_tags') || query.has('ignore_global_tags'),
      arrivedOffloaded: true,
      batchKey: batchId ?? undefined,
    });
    this.#metrics.points.inc({ category }, points.length);
  }

  /** The disk-cache worker: oldest request first; one leaves the cache only once Feed took it. */
  async #work(q: DiskQueue): Promise<void> {
    while (this.#running) {
      const r = q.pop();
      if (r === null) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      this.#busy = 1;
      this.#gauges();
      const rec = decodeRequestRecord(r.payload);
      let ok = true;
      if (rec === null) {
        this.#metrics.cacheDropped.inc({ reason: 'unreadable' });
        this.#log.error({ id: String(r.id) }, 'ploffload: unreadable disk-cache record skipped');
      } else {
        const query = new URLSearchParams(rec.query);
        try {
          const points = decodeOffloadBody(rec.category, rec.body, rec.contentType, query, rec.receivedNs);
          await this.#feed(rec.category, points, query, rec.batchId);
        } catch (e) {
          if (e instanceof ApiError) {
            // Checked before it was cached, so only a codec change could get here.
            this.#metrics.cacheDropped.inc({ reason: 'undecodable' });
            this.#log.error({ err: e.message, batch: rec.batchId }, 'ploffload: cached request undecodable');
          } else {
            ok = false;
            this.#log.warn(
              { err: (e as Error).message, batch: rec.batchId },
              'ploffload: downstream refused a cached request; retrying later',
            );
          }
        }
      }
      this.#busy = 0;
      if (ok) q.ack(r.id);
      else q.nack(r.id);
      this.#gauges();
      if (!ok) await this.#pause(this.#o.retryDelayMs ?? 1000);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  #gauges(): void {
    const q = this.#queue;
    if (q !== null) {
      this.#metrics.chanUsage.set({ channel_name: DISK_CHANNEL }, q.stats().bytes);
    }
    this.#metrics.chanUsage.set({ channel_name: JOB_CHANNEL }, this.#busy);
  }

  /**
   * Stop: new requests are answered 503, the worker finishes the request
   * it is on, the cache and the window are closed (cached requests are
   * processed after the next start). Idempotent.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const w = this.#wake;
    this.#wake = null;
    w?.();
    await this.#worker;
    this.#worker = null;
    await Promise.allSettled([...this.#inProgress.values()]);
    this.#queue?.close();
    this.#queue = null;
    this.#window?.close();
    this.#window = null;
  }
}

function stopping(): ApiError {
  return new ApiError(503, 'serviceUnavailable', 'the ploffload input is stopping', {
    headers: { 'Retry-After': '5' },
  });
}
