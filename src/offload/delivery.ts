/**
 * Delivering one batch: choose a receiver, post, and act on the answer
 * (see answer.ts) until the batch is settled — delivered, dead-lettered,
 * or handed to `onUnavailable` when no receiver can take it now (the
 * offloader spools it, or hands a spooled batch back to the spool).
 *
 * A failed or throttled receiver never gets the same batch twice in a
 * row: the batch moves on at once to the next available one. Parts of a
 * batch (413 halves, affinity groups) go through the same path and share
 * the batch's completion.
 */
import type { HttpClient } from '../common/http-client.js';
import type { Logger } from '../common/logger.js';
import { PlkError } from '../common/plk-error.js';
import { type Answer, classifyAnswer } from './answer.js';
import type { Balancer } from './balancer.js';
import { type Batch, bodyOf, OFFLOAD_CATEGORY, partOf, pointsOf, splitInHalves } from './batch.js';
import type { DeadLetterFile } from './dead-letter.js';
import type { HealthChecker } from './health-checker.js';
import { type OffloadMetrics, type ReceiverMeters, receiverMeters } from './metrics.js';
import type { ReceiverWire } from './receivers/index.js';
import { retryAfterMs } from './retry-after.js';
import type { Target } from './target.js';

export interface DeliveryDeps {
  balancer: Balancer;
  wire: ReceiverWire;
  http: HttpClient;
  health: HealthChecker;
  metrics: OffloadMetrics;
  deadLetter: DeadLetterFile;
  log: Logger;
  token: string;
  timeoutMs: number;
  defaultRetryAfterMs: number;
  maxRetryAfterMs: number;
  /** Aborted when the offloader stops for good: batches in flight go back to the spool. */
  signal: AbortSignal;
  /** No receiver can take this batch (or part) now. */
  onUnavailable: (b: Batch) => void;
  /** A throttled receiver may be sent to again. */
  onThrottleEnd: () => void;
}

type Outcome = Answer | { kind: 'aborted' };

const USER_AGENT = 'plkit-offload';

export class Delivery {
  readonly #d: DeliveryDeps;
  readonly #staticHeaders: Record<string, string>;
  #waiters: (() => void)[] = [];
  readonly #throttleTimers = new Set<NodeJS.Timeout>();
  /** Per receiver (by target index): metrics with bound labels. */
  readonly #meters: ReceiverMeters[];

  constructor(deps: DeliveryDeps) {
    this.#d = deps;
    this.#meters = deps.balancer.targets.map((t) =>
      receiverMeters(deps.metrics, OFFLOAD_CATEGORY, deps.wire.kind, t.host),
    );
    const h: Record<string, string> = { 'User-Agent': USER_AGENT, 'X-Plkit-Hop': '1' };
    if (deps.wire.contentType !== null) h['Content-Type'] = deps.wire.contentType;
    if (deps.token !== '') h.Authorization = `Bearer ${deps.token}`;
    this.#staticHeaders = h;
  }

  /** Something changed (a slot freed, a receiver came back): waiting deliveries look again. */
  changed(): void {
    const w = this.#waiters;
    if (w.length === 0) return;
    this.#waiters = [];
    for (let i = 0; i < w.length; i++) w[i]!();
  }

  #waitForChange(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  stop(): void {
    for (const t of this.#throttleTimers) clearTimeout(t);
    this.#throttleTimers.clear();
    this.changed();
  }

  /** Resolves when the batch (every part of it) is settled. */
  deliver(b: Batch): Promise<void> {
    if (b.startedAt === 0) b.startedAt = performance.now();
    return this.#d.balancer.policy === 'affinity' ? this.#deliverByKey(b) : this.#deliverAnywhere(b);
  }

  async #deliverAnywhere(b: Batch): Promise<void> {
    const bal = this.#d.balancer;
    for (;;) {
      if (this.#d.signal.aborted) return this.#d.onUnavailable(b);
      const p = bal.pick(Date.now(), b.count);
      if (p.kind === 'none') return this.#d.onUnavailable(b);
      if (p.kind === 'busy') {
        await this.#waitForChange();
        continue;
      }
      if (await this.#tryOn(p.target, b)) return;
    }
  }

  /** Affinity: each key's points to the receiver it belongs to; parts keep derived ids. */
  async #deliverByKey(b: Batch): Promise<void> {
    const groups = this.#d.balancer.partition(pointsOf(b));
    if (groups.length === 1) return this.#deliverTo(groups[0]!.target, b);
    b.completion.addParts(groups.length - 1);
    const parts: Promise<void>[] = [];
    for (const g of groups) {
      parts.push(this.#deliverTo(g.target, partOf(b, `@${g.target?.index ?? 'x'}`, g.points)));
    }
    await Promise.all(parts);
  }

  async #deliverTo(t: Target | null, b: Batch): Promise<void> {
    for (;;) {
      if (this.#d.signal.aborted || t === null) return this.#d.onUnavailable(b);
      // Ejected: its keys now belong to their next choice.
      if (t.state !== 'healthy') return this.#deliverByKey(b);
      // Throttled: the keys stay with it; the batch waits in the spool.
      if (!t.available(Date.now())) return this.#d.onUnavailable(b);
      if (t.inFlight >= this.#d.balancer.maxInFlight) {
        await this.#waitForChange();
        continue;
      }
      if (await this.#tryOn(t, b)) return;
    }
  }

  /** One attempt on `t`; true when the batch is settled, false to try elsewhere. */
  async #tryOn(t: Target, b: Batch): Promise<boolean> {
    const m = this.#d.metrics;
    const tm = this.#meters[t.index]!;
    const remote = { remote: t.host };
    if (b.attempts > 0) tm.retried.inc();
    b.attempts++;
    const r = await this.#post(t, b);
    switch (r.kind) {
      case 'ok':
        this.#d.health.delivered(t);
        this.#count(t, b.count, false, b);
        tm.sentPoints.inc(b.count);
        tm.sentBatches.inc();
        b.completion.done();
        return true;
      case 'aborted':
        this.#d.onUnavailable(b);
        return true;
      case 'throttled': {
        const ms = retryAfterMs(r.retryAfter, this.#d.defaultRetryAfterMs, this.#d.maxRetryAfterMs);
        this.#throttle(t, ms);
        m.throttled.inc(remote);
        m.rerouted.inc(remote);
        this.#d.log.debug({ remote: t.base, status: r.status, retry_after_ms: ms, batch: b.id }, 'throttled');
        return false;
      }
      case 'failed':
        m.failures.inc({ remote: t.host, reason: r.reason });
        m.rerouted.inc(remote);
        this.#d.health.eject(t, r.status === 0 ? r.message : `status ${r.status}: ${r.message}`);
        return false;
      case 'too_large': {
        const pts = pointsOf(b);
        if (pts.length <= 1) {
          this.#deadLetter(t, b, r.status, 'too_large', r.message);
          return true;
        }
        m.split.inc(remote);
        const [x, y] = splitInHalves(b);
        await Promise.all([this.deliver(x), this.deliver(y)]);
        return true;
      }
      case 'rejected':
        this.#deadLetter(t, b, r.status, 'rejected', r.message);
        return true;
    }
  }

  async #post(t: Target, b: Batch): Promise<Outcome> {
    const d = this.#d;
    const body = bodyOf(b, d.wire);
    const headers = { ...this.#staticHeaders, 'X-Plkit-Batch-Id': b.id };
    const tm = this.#meters[t.index]!;
    t.inFlight++;
    tm.inFlight.set(t.inFlight);
    const t0 = performance.now();
    try {
      const res = await d.http.send({
        url: t.writeUrl,
        method: 'POST',
        headers,
        body,
        timeoutMs: d.timeoutMs,
        maxResponseBytes: 64 * 1024,
        signal: d.signal,
      });
      tm.latency(String(res.status)).observe((performance.now() - t0) / 1000);
      return classifyAnswer(res);
    } catch (e) {
      if (d.signal.aborted) return { kind: 'aborted' };
      const msg = (e as Error).message;
      const timeout = /timed out/i.test(msg);
      tm.latency(timeout ? 'timeout' : 'transport_error').observe((performance.now() - t0) / 1000);
      return { kind: 'failed', status: 0, reason: timeout ? 'timeout' : 'transport', message: msg };
    } finally {
      t.inFlight--;
      tm.inFlight.set(t.inFlight);
      this.changed();
    }
  }

  #throttle(t: Target, ms: number): void {
    const until = Date.now() + ms;
    if (until <= t.throttledUntil) return;
    t.throttledUntil = until;
    const timer = setTimeout(() => {
      this.#throttleTimers.delete(timer);
      this.changed();
      this.#d.onThrottleEnd();
    }, ms + 1);
    timer.unref();
    this.#throttleTimers.add(timer);
  }

  #count(t: Target, points: number, error: boolean, b: Batch): void {
    const tm = this.#meters[t.index]!;
    tm.points.inc(points);
    if (error) {
      const labels = { category: OFFLOAD_CATEGORY, exporter: this.#d.wire.kind, remote: t.host };
      this.#d.metrics.errorPoints.inc(labels, points);
    }
    tm.cost.observe((performance.now() - b.startedAt) / 1000);
  }

  #deadLetter(t: Target, b: Batch, status: number, reason: string, answer: string): void {
    const pts = pointsOf(b);
    let written: number;
    try {
      written = this.#d.deadLetter.write(pts, { batchId: b.id, remote: t.host, status, reason: answer });
    } catch (e) {
      this.#d.log.error(
        { err: (e as Error).message, path: this.#d.deadLetter.path, batch: b.id },
        'offload: cannot write the dead-letter file',
      );
      b.completion.fail(
        new PlkError('PLK_ERR_OFFLOAD_DEAD_LETTER', `cannot write dead letters: ${(e as Error).message}`, {
          cause: e,
        }),
      );
      return;
    }
    this.#count(t, pts.length, true, b);
    this.#d.metrics.deadLettered.inc({ remote: t.host, reason }, pts.length);
    this.#d.log.error(
      {
        remote: t.base,
        status,
        reason,
        answer: answer.slice(0, 200),
        batch: b.id,
        points: pts.length,
        lost: pts.length - written,
        path: this.#d.deadLetter.path,
      },
      'offload: receiver refused points for good; written to the dead-letter file',
    );
    b.completion.done();
  }
}
