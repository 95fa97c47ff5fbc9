/**
 * The pipeline as io/feed uses it: for each point of a batch, select the
 * script (select.ts), and
 *
 * - no script: the point passes unchanged;
 * - offload on, a logging point, a script from the `remote` namespace:
 *   the point goes to `offload` untouched (the post-level processor
 *   selects the script again by the same rules);
 * - otherwise the script runs on the point in place. A dropped point is
 *   left out; points made by `create_point` go to `extra` by category. A
 *   run-time fault keeps the point as the script left it (as DataKit
 *   uploads it), drops its sub-points, and is counted and logged.
 * - with `pointWindows` (point_window/window_hit), every run is settled
 *   with it; the points a window releases go on with the kept points.
 *
 * The index and routing are read once per batch, so a reload landing
 * mid-batch does not mix two versions of the scripts in one batch.
 */
import { type Logger, silentLogger } from '../../common/logger.js';
import { Metrics } from '../../common/metrics.js';
import type { PipelineStage, ScriptSelection, StageResult } from '../../io/feed.js';
import type { Category } from '../../point/category.js';
import type { Point } from '../../point/point.js';
import type { RunOutcome } from '../services/point-window.js';
import { PipelineMetrics, type ScriptMeters } from './script-metrics.js';
import type { ScriptStore } from './script-store.js';
import { chooseScriptByFeature, type InputScript, selectScript } from './select.js';

export interface ScriptPipelineStageOptions {
  store: ScriptStore;
  metrics?: Metrics;
  logger?: Logger;
  /** IANA zone where scripts fall back to local time (default: the process zone). */
  tz?: string;
  /** At most this many run errors are logged per script per minute (default 10). */
  errorLogsPerMinute?: number;
  /** The point-window service scripts run with (`createPipelineServices(...).pointWindows`). */
  pointWindows?: { settle(pt: Point, outcome: RunOutcome): Point[] };
}

interface Tally {
  points: number;
  drops: number;
  errors: number;
  seconds: number;
}

export class ScriptPipelineStage implements PipelineStage {
  readonly #store: ScriptStore;
  readonly #metrics: PipelineMetrics;
  readonly #log: Logger;
  readonly #runOpts: { tz?: string };
  readonly #logBudget: number;
  readonly #windows: NonNullable<ScriptPipelineStageOptions['pointWindows']> | null;
  readonly #logged = new Map<string, { minute: number; n: number }>();

  constructor(opts: ScriptPipelineStageOptions) {
    this.#store = opts.store;
    this.#metrics = new PipelineMetrics(opts.metrics ?? new Metrics());
    this.#log = (opts.logger ?? silentLogger()).child({ component: 'pipeline' });
    this.#runOpts = opts.tz === undefined ? {} : { tz: opts.tz };
    this.#logBudget = opts.errorLogsPerMinute ?? 10;
    this.#windows = opts.pointWindows ?? null;
  }

  process(
    category: Category,
    points: Point[],
    sel: ScriptSelection & InputScript,
    opts: { splitOffload: boolean },
  ): StageResult {
    const index = this.#store.index;
    const routing = this.#store.routing;
    const split = opts.splitOffload && category === 'logging';
    const kept: Point[] = [];
    const offload: Point[] = [];
    let extra: Map<Category, Point[]> | null = null;
    const input: InputScript | undefined = sel.scriptName === undefined ? undefined : sel;

    // Metrics are summed per script over the batch and recorded once per
    // batch: a summary observation per point (t-digest) cost more than a
    // simple script run. The cost summary therefore sees the batch mean.
    const tally = new Map<ScriptMeters, Tally>();
    for (let i = 0; i < points.length; i++) {
      const pt = points[i]!;
      const chosen = selectScript(index, routing, category, pt, input);
      if (chosen === null) {
        kept.push(pt);
        continue;
      }
      const rec = chosen.record;
      if (split && rec.ns === 'remote') {
        offload.push(pt);
        continue;
      }
      const meters = this.#metrics.for(rec);
      let t = tally.get(meters);
      if (t === undefined) tally.set(meters, (t = { points: 0, drops: 0, errors: 0, seconds: 0 }));
      const t0 = performance.now();
      const res = rec.script.run(pt, this.#runOpts);
      t.seconds += (performance.now() - t0) / 1000;
      t.points++;
      const released =
        this.#windows === null
          ? null
          : this.#windows.settle(pt, res.error !== undefined ? 'failed' : res.dropped ? 'dropped' : 'kept');
      if (res.error !== undefined) {
        t.errors++;
        this.#logRunError(rec.ns, category, rec.name, res.error.short);
        kept.push(pt);
        continue;
      }
      if (res.subPoints.length > 0) {
        if (extra === null) extra = new Map();
        for (let j = 0; j < res.subPoints.length; j++) {
          const sp = res.subPoints[j]!;
          let list = extra.get(sp.category);
          if (list === undefined) extra.set(sp.category, (list = []));
          list.push(sp);
        }
      }
      if (res.dropped) t.drops++;
      else kept.push(pt);
      // a window's released points: held dropped ones, and pt itself when dropped inside a hit
      if (released !== null) for (let j = 0; j < released.length; j++) kept.push(released[j]!);
    }
    for (const [m, t] of tally) {
      m.points.inc(t.points);
      if (t.drops > 0) m.drops.inc(t.drops);
      if (t.errors > 0) m.errors.inc(t.errors);
      m.cost.observe(t.seconds / t.points);
    }

    const out: StageResult = { kept, offload, extra: [] };
    if (extra !== null) for (const [c, pts] of extra) out.extra.push({ category: c, points: pts });
    return out;
  }

  /**
   * True when a logging point named `name` would be offloaded untouched
   * (its script comes from the remote namespace), so io/feed may forward
   * it without decoding it. For logging the feature string is the name.
   */
  offloadsWhole(category: Category, name: string, sel: ScriptSelection & InputScript): boolean {
    if (category !== 'logging') return false;
    const input: InputScript | undefined = sel.scriptName === undefined ? undefined : sel;
    const choice = chooseScriptByFeature(category, name, input, this.#store.routing);
    if (choice === null) return false;
    return this.#store.index.get(category, choice.name)?.ns === 'remote';
  }

  #logRunError(ns: string, category: string, name: string, message: string): void {
    const key = `${ns}/${category}/${name}`;
    const minute = Math.floor(Date.now() / 60_000);
    let b = this.#logged.get(key);
    if (b === undefined || b.minute !== minute) this.#logged.set(key, (b = { minute, n: 0 }));
    if (++b.n > this.#logBudget) return;
    this.#log.warn(
      { namespace: ns, category, script: name },
      `script run failed, point kept as the script left it: ${message}`,
    );
  }
}
