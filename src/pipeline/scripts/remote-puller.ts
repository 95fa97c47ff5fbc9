/**
 * Pulls remote pipeline scripts, the relation table and category defaults
 * from the first DataWay endpoint every `remote_pull_interval`, the way
 * DataKit does (internal/pipeline/remote):
 *
 * `GET <dataway>/v1/datakit/pull?token=…&remote_pipelines=true&ts=T&relation_ts=R`
 *
 * - T and R are what was last applied; like DataKit, the first pull of a
 *   process sends 0 for both, so it always gets the full set (which heals
 *   a `pipeline_remote/` left half-written by a crash);
 * - `update_time` equal to T, or ≤ 0: scripts unchanged; `1`: delete all
 *   remote scripts and pulled defaults; otherwise the answer is the full
 *   set: it replaces the remote scripts and the pulled defaults;
 * - `relation_update_time` other than -1: the relation table is replaced.
 *
 * What was applied is persisted (remote-state.ts) before the store reloads
 * the `remote` namespace, so a restart without DataWay serves the same.
 * A failed pull (transport, HTTP status, malformed answer) changes nothing,
 * is logged and counted, and is retried with back-off (1 s doubling, never
 * longer than the interval).
 */
import type { HttpClient } from '../../common/http-client.js';
import { type Logger, silentLogger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { DatawayEndpoint } from '../../dataway/endpoint.js';
import type { Category } from '../../point/category.js';
import { type PullAnswer, parsePullAnswer } from './remote-answer.js';
import {
  type RemoteState,
  readRemoteState,
  replaceRemoteScripts,
  siteOf,
  wipeRemote,
  writeRemoteState,
} from './remote-state.js';
import type { ScriptStore } from './script-store.js';

export interface RemotePullerOptions {
  store: ScriptStore;
  /** The first DataWay endpoint; null = nothing to pull from (persisted state still serves). */
  endpoint: DatawayEndpoint | null;
  http: HttpClient;
  /** `[pipeline] remote_pull_interval`. */
  intervalMs: number;
  /** First retry delay after a failure (default 1000 ms). */
  retryInitialMs?: number;
  /** `pipeline_remote/` (default: the store's remote folder). */
  dir?: string;
  logger?: Logger;
  metrics?: Metrics;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

export type PullOutcome =
  | { ok: true; scriptsChanged: boolean; relationsChanged: boolean }
  | { ok: false; kind: 'transport' | 'status' | 'malformed' | 'storage'; error: string };

type Result = 'ok' | 'transport' | 'status' | 'malformed' | 'storage';

export class RemotePuller {
  readonly #opts: RemotePullerOptions;
  readonly #dir: string;
  readonly #log: Logger;
  readonly #site: string;
  readonly #pulls: { inc(labels: { result: Result }): void } | null;
  #state: RemoteState;
  #sent = { ts: 0, relationTs: 0 };
  #timer: NodeJS.Timeout | null = null;
  #inflight: Promise<PullOutcome> | null = null;
  #abort = new AbortController();
  #backoff: number;
  #running = false;
  #stopping = false;
  #lastError: string | null = null;

  constructor(opts: RemotePullerOptions) {
    this.#opts = opts;
    this.#dir = opts.dir ?? opts.store.folders.remote;
    this.#log = (opts.logger ?? silentLogger()).child({ component: 'pipeline-remote' });
    this.#site = opts.endpoint === null ? '' : siteOf(opts.endpoint.base, opts.endpoint.token);
    this.#pulls =
      opts.metrics?.counter('datakit_pipeline_remote_pull_total', 'Remote pipeline pulls by result', [
        'result',
      ]) ?? null;
    this.#state = { site: this.#site, updateTime: 0, relationUpdateTime: 0, relations: [], defaults: {} };
    this.#backoff = opts.retryInitialMs ?? 1000;
  }

  /** The last pull's error, or null after a success. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** What is applied now (timestamps, relations, pulled defaults). */
  get state(): Readonly<RemoteState> {
    return this.#state;
  }

  /**
   * Restore what the last run pulled (relations and defaults; the scripts
   * are files the store reads), then pull at once and every interval.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = false;
    this.#abort = new AbortController();
    const saved = await readRemoteState(this.#dir);
    if (!saved.ok) {
      this.#log.warn(`remote pipeline state unreadable, starting empty: ${saved.error}`);
    } else if (saved.state !== null) {
      if (this.#opts.endpoint !== null && saved.state.site !== this.#site) {
        this.#log.info('DataWay workspace changed: removing the remote scripts pulled from the old one');
        await wipeRemote(this.#dir);
        await this.#opts.store.reload('remote');
      } else {
        this.#state = { ...saved.state, site: this.#site || saved.state.site };
        this.#opts.store.setRemoteRouting(this.#state.relations, this.#state.defaults);
      }
    }
    if (this.#opts.endpoint !== null) this.#schedule(0);
  }

  /** Stop pulling; a pull in flight is aborted. Idempotent. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort.abort(new Error('stopping'));
    await this.#inflight;
  }

  /** One pull now (serialized with the periodic ones). */
  pullNow(): Promise<PullOutcome> {
    if (this.#inflight === null) {
      this.#inflight = this.#pull().finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.pullNow().then((r) => {
        if (!this.#running) return;
        if (r.ok) {
          this.#backoff = this.#opts.retryInitialMs ?? 1000;
          this.#schedule(this.#opts.intervalMs);
        } else {
          const wait = Math.min(this.#backoff, this.#opts.intervalMs);
          this.#backoff = Math.min(this.#backoff * 2, this.#opts.intervalMs);
          this.#schedule(wait);
        }
      });
    }, ms);
    this.#timer.unref();
  }

  async #pull(): Promise<PullOutcome> {
    const r = await this.#pullOnce();
    this.#pulls?.inc({ result: r.ok ? 'ok' : r.kind });
    if (r.ok) this.#lastError = null;
    else if (!this.#stopping) {
      this.#lastError = r.error;
      this.#log.warn({ kind: r.kind }, `remote pipeline pull failed, keeping what is loaded: ${r.error}`);
    }
    return r;
  }

  async #pullOnce(): Promise<PullOutcome> {
    const ep = this.#opts.endpoint;
    if (ep === null) return { ok: false, kind: 'transport', error: 'no DataWay endpoint configured' };
    const url = ep.pullUrl({
      remote_pipelines: 'true',
      ts: String(this.#sent.ts),
      relation_ts: String(this.#sent.relationTs),
    });
    let body: string;
    try {
      const res = await this.#opts.http.send({
        url,
        timeoutMs: this.#opts.timeoutMs,
        signal: this.#abort.signal,
      });
      body = res.body.toString('utf8');
      if (res.status < 200 || res.status > 299) {
        return { ok: false, kind: 'status', error: `DataWay answered ${res.status}: ${body.slice(0, 300)}` };
      }
    } catch (e) {
      return { ok: false, kind: 'transport', error: (e as Error).message };
    }
    const parsed = parsePullAnswer(body);
    if (!parsed.ok) return { ok: false, kind: 'malformed', error: `malformed answer: ${parsed.error}` };
    for (const w of parsed.answer.warnings) this.#log.warn(`remote pipelines: ${w}`);
    try {
      return await this.#apply(parsed.answer);
    } catch (e) {
      return { ok: false, kind: 'storage', error: `writing ${this.#dir} failed: ${(e as Error).message}` };
    }
  }

  async #apply(a: PullAnswer): Promise<PullOutcome> {
    const next: RemoteState = { ...this.#state, site: this.#site };
    let scriptsChanged = false;
    if (a.updateTime > 0 && a.updateTime !== this.#sent.ts) {
      if (a.updateTime === 1) {
        // DataKit keeps its stored update time after "delete all", so the
        // answer repeats; only the first one has anything to delete.
        const any =
          this.#opts.store.index.namespace('remote').size > 0 || Object.keys(next.defaults).length > 0;
        if (any) await replaceRemoteScripts(this.#dir, []);
        next.defaults = {};
        scriptsChanged = any;
      } else {
        await replaceRemoteScripts(this.#dir, a.scripts);
        const defaults: Partial<Record<Category, string>> = {};
        for (const s of a.scripts) if (s.asDefault) defaults[s.category] = s.name;
        next.defaults = defaults;
        next.updateTime = a.updateTime;
        scriptsChanged = true;
      }
    }
    let relationsChanged = false;
    if (a.relationUpdateTime !== -1) {
      relationsChanged =
        a.relationUpdateTime !== next.relationUpdateTime ||
        JSON.stringify(a.relations) !== JSON.stringify(next.relations);
      next.relations = a.relations;
      next.relationUpdateTime = a.relationUpdateTime;
    }
    if (scriptsChanged || relationsChanged) await writeRemoteState(this.#dir, next);
    this.#state = next;
    this.#sent = { ts: next.updateTime, relationTs: next.relationUpdateTime };
    if (scriptsChanged) await this.#opts.store.reload('remote');
    this.#opts.store.setRemoteRouting(next.relations, next.defaults);
    return { ok: true, scriptsChanged, relationsChanged };
  }
}
