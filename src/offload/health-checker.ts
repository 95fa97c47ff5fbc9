/**
 * Ejection and re-admission of receivers. A receiver that failed a request
 * is ejected at once; it is probed with `GET /v1/ping` after a back-off
 * that starts at 250 ms and doubles with every ejection since its last
 * successful delivery, capped at `health_check_interval`. A 2xx answer
 * re-admits it; anything else ejects it again with the next back-off.
 * Only ejected receivers are probed: healthy ones prove themselves with
 * every batch.
 */
import { setMaxListeners } from 'node:events';
import type { HttpClient } from '../common/http-client.js';
import type { Logger } from '../common/logger.js';
import type { OffloadMetrics } from './metrics.js';
import type { Target } from './target.js';

const FIRST_BACKOFF_MS = 250;

export class HealthChecker {
  readonly #http: HttpClient;
  readonly #maxBackoffMs: number;
  readonly #timeoutMs: number;
  readonly #onReadmit: (t: Target) => void;
  readonly #metrics: OffloadMetrics;
  readonly #log: Logger;
  readonly #timers = new Map<Target, NodeJS.Timeout>();
  readonly #abort = new AbortController();
  #stopped = false;

  constructor(
    http: HttpClient,
    opts: { healthCheckIntervalMs: number; timeoutMs: number },
    onReadmit: (t: Target) => void,
    metrics: OffloadMetrics,
    log: Logger,
  ) {
    this.#http = http;
    this.#maxBackoffMs = opts.healthCheckIntervalMs;
    this.#timeoutMs = Math.min(opts.timeoutMs, 5_000);
    this.#onReadmit = onReadmit;
    this.#metrics = metrics;
    this.#log = log;
    setMaxListeners(0, this.#abort.signal);
  }

  /** Back-off before the next probe of a receiver ejected `ejections` times in a row. */
  backoffMs(ejections: number): number {
    const exp = FIRST_BACKOFF_MS * 2 ** Math.min(20, Math.max(0, ejections - 1));
    return Math.min(this.#maxBackoffMs, exp);
  }

  /** Take the receiver out of rotation (no-op when it is already out). */
  eject(t: Target, reason: string): void {
    if (t.state === 'ejected' || this.#stopped) return;
    t.state = 'ejected';
    t.ejections++;
    this.#metrics.healthy.set({ remote: t.host }, 0);
    const wait = this.backoffMs(t.ejections);
    this.#log.warn(
      { remote: t.base, reason, ejections: t.ejections, next_check_ms: wait },
      'offload receiver ejected',
    );
    this.#schedule(t, wait);
  }

  /** A batch was delivered: the next ejection starts from the shortest back-off. */
  delivered(t: Target): void {
    t.ejections = 0;
  }

  #schedule(t: Target, ms: number): void {
    const timer = setTimeout(() => void this.#probe(t), ms);
    timer.unref();
    this.#timers.set(t, timer);
  }

  async #probe(t: Target): Promise<void> {
    this.#timers.delete(t);
    if (this.#stopped) return;
    let ok = false;
    let why = '';
    try {
      const res = await this.#http.send({
        url: t.pingUrl,
        method: 'GET',
        timeoutMs: this.#timeoutMs,
        maxResponseBytes: 64 * 1024,
        signal: this.#abort.signal,
      });
      ok = res.status >= 200 && res.status < 300;
      why = `status ${res.status}`;
    } catch (e) {
      why = (e as Error).message;
    }
    if (this.#stopped) return;
    if (ok) {
      t.state = 'healthy';
      this.#metrics.healthy.set({ remote: t.host }, 1);
      this.#log.info({ remote: t.base }, 'offload receiver re-admitted after a health check');
      this.#onReadmit(t);
      return;
    }
    t.ejections++;
    const wait = this.backoffMs(t.ejections);
    this.#log.debug({ remote: t.base, why, next_check_ms: wait }, 'offload receiver still unhealthy');
    this.#schedule(t, wait);
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort(new Error('offloader stopping'));
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
