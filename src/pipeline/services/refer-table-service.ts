/**
 * Reference tables kept current from `refer_table_url`: pulled at start
 * and then every `refer_table_pull_interval` (at least 1 s, as DataKit),
 * through the agent's HttpClient. A failed pull (transport error, 5xx,
 * 408, 429) is retried after 1 s, 2 s and 4 s; any other status, a body
 * that is not DataKit's table JSON, or a table that fails its checks
 * leaves the tables already loaded in use, and is logged. Until the first
 * successful pull the set is empty (queries find nothing, as in DataKit).
 *
 * Tables are replaced whole by one assignment, so a query never sees half
 * an update. Kept in memory with an index per column (refer-tables.ts);
 * DataKit's optional SQLite store is not offered.
 */
import type { HttpClient } from '../../common/http-client.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import type { Value } from '../lang/values.js';
import { type CellValue, ReferTables } from './refer-tables.js';

export interface ReferTableServiceOptions {
  url: string;
  intervalMs: number;
  http: Pick<HttpClient, 'send'>;
  logger?: Logger;
  /** Largest table document accepted (default 256 MiB). */
  maxBytes?: number;
  /** Waits before the retries of one pull (default 1 s, 2 s, 4 s). */
  retryDelaysMs?: readonly number[];
  requestTimeoutMs?: number;
}

const MIN_INTERVAL_MS = 1000;
const RETRYABLE = (status: number) => status >= 500 || status === 429 || status === 408;

export class ReferTableService {
  #tables: ReferTables = ReferTables.empty();
  readonly #opts: ReferTableServiceOptions;
  readonly #log: Logger;
  readonly #interval: number;
  readonly #ac = new AbortController();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<boolean> | null = null;
  #started = false;
  #loaded = false;
  #readyWaiters: (() => void)[] = [];
  /** Last pull failure, or null after a success. */
  lastError: string | null = null;
  /** Unix ms of the last successful load, 0 before the first. */
  lastUpdate = 0;

  constructor(opts: ReferTableServiceOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`refer_table_url: unsupported scheme ${u.protocol.slice(0, -1)}`);
    this.#opts = opts;
    this.#interval = Math.max(MIN_INTERVAL_MS, opts.intervalMs);
    this.#log = (opts.logger ?? silentLogger()).child({ component: 'refer-table' });
  }

  /** The tables in use now. */
  get tables(): ReferTables {
    return this.#tables;
  }

  query(table: string, columns: readonly string[], values: readonly Value[]): Map<string, CellValue> | null {
    return this.#tables.query(table, columns, values);
  }

  /** Start pulling (the first pull begins at once); returns immediately. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#cycle();
  }

  /** Resolves true once tables were loaded, false after `timeoutMs` without. */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.#loaded) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      t.unref();
      this.#readyWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** One pull with its retries; true when the tables were replaced. */
  pullNow(): Promise<boolean> {
    if (this.#running === null) {
      this.#running = this.#pull().finally(() => {
        this.#running = null;
      });
    }
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#ac.abort(new Error('stopped'));
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => false);
  }

  async #cycle(): Promise<void> {
    if (this.#ac.signal.aborted) return;
    await this.pullNow();
    if (this.#ac.signal.aborted) return;
    this.#timer = setTimeout(() => void this.#cycle(), this.#interval);
    this.#timer.unref();
  }

  async #pull(): Promise<boolean> {
    const delays = this.#opts.retryDelaysMs ?? [1000, 2000, 4000];
    for (let attempt = 0; ; attempt++) {
      const r = await this.#fetchOnce();
      if (r.ok) return this.#apply(r.body);
      if (!r.retry || attempt >= delays.length || this.#ac.signal.aborted) {
        this.#fail(r.reason);
        return false;
      }
      await sleep(delays[attempt]!, this.#ac.signal);
    }
  }

  async #fetchOnce(): Promise<{ ok: true; body: string } | { ok: false; retry: boolean; reason: string }> {
    try {
      const res = await this.#opts.http.send({
        url: this.#opts.url,
        method: 'GET',
        timeoutMs: this.#opts.requestTimeoutMs ?? 60_000,
        maxResponseBytes: this.#opts.maxBytes ?? 256 * 1024 * 1024,
        signal: this.#ac.signal,
      });
      if (res.status !== 200)
        return { ok: false, retry: RETRYABLE(res.status), reason: `status ${res.status}` };
      return { ok: true, body: res.body.toString('utf8') };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, retry: code !== 'PLK_ERR_HTTP_RESPONSE_TOO_LARGE', reason: (e as Error).message };
    }
  }

  #apply(body: string): boolean {
    let next: ReferTables;
    try {
      next = ReferTables.fromJson(body);
    } catch (e) {
      this.#fail((e as Error).message);
      return false;
    }
    this.#tables = next;
    this.lastError = null;
    this.lastUpdate = Date.now();
    this.#log.info({ tables: next.stats() }, 'reference tables loaded');
    if (!this.#loaded) {
      this.#loaded = true;
      for (const w of this.#readyWaiters.splice(0)) w();
    }
    return true;
  }

  #fail(reason: string): void {
    this.lastError = reason;
    if (this.#ac.signal.aborted) return;
    this.#log.warn({ err: reason }, 'reference tables not updated, the previous ones stay in use');
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    t.unref();
    function done() {
      signal.removeEventListener('abort', done);
      clearTimeout(t);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
