/**
 * The pipeline's metrics, with DataKit's names and labels
 * (`category`, `name`, `namespace`), declared once on the shared registry.
 * Per-script children are bound once per compiled script, so a point
 * costs a few increments, not a label lookup each.
 */
import type { Metrics } from '../../common/metrics.js';
import type { PlainCounter as Counter } from '../../common/plain-metrics.js';
import type { RecentSummary } from '../../common/recent-summary.js';
import type { ScriptRecord } from './script-index.js';

type Label = 'category' | 'name' | 'namespace';
const LABELS: readonly Label[] = ['category', 'name', 'namespace'];

export interface ScriptMeters {
  points: { inc(n?: number): void };
  drops: { inc(n?: number): void };
  errors: { inc(n?: number): void };
  cost: { observe(v: number): void };
}

export class PipelineMetrics {
  readonly #points: Counter<Label>;
  readonly #drops: Counter<Label>;
  readonly #errors: Counter<Label>;
  readonly #cost: RecentSummary<Label>;
  readonly #compileErrors: Counter<Label>;
  readonly #bound = new WeakMap<ScriptRecord, ScriptMeters>();

  constructor(metrics: Metrics) {
    this.#points = metrics.counter('datakit_pipeline_point_total', 'Pipeline processed point count', LABELS);
    this.#drops = metrics.counter(
      'datakit_pipeline_drop_point_total',
      'Pipeline total dropped points',
      LABELS,
    );
    this.#errors = metrics.counter(
      'datakit_pipeline_error_point_total',
      'Pipeline processed total error points',
      LABELS,
    );
    this.#cost = metrics.summary('datakit_pipeline_cost_seconds', 'Pipeline total running time', LABELS);
    this.#compileErrors = metrics.counter(
      'datakit_pipeline_compile_error_total',
      'Script versions refused because they do not compile (the previous version keeps serving)',
      LABELS,
    );
  }

  for(rec: ScriptRecord): ScriptMeters {
    let m = this.#bound.get(rec);
    if (m === undefined) {
      const l = { category: rec.category, name: rec.name, namespace: rec.ns };
      m = {
        points: this.#points.labels(l),
        drops: this.#drops.labels(l),
        errors: this.#errors.labels(l),
        cost: this.#cost.labels(l),
      };
      this.#bound.set(rec, m);
    }
    return m;
  }

  compileError(category: string, name: string, namespace: string): void {
    this.#compileErrors.inc({ category, name, namespace });
  }
}
