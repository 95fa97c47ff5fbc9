/**
 * Counters, gauges and histograms whose series are plain number fields,
 * registered in prom-client's registry like its own metrics (the registry
 * only calls `get()`), so names, labels and the exposition are unchanged.
 *
 * Why not prom-client's: every call hashes its labels into a string key
 * (sorting the label names), bound children included — `labels()` only
 * closes over the label object. Measured here: 300–470 ns per counter or
 * gauge call and ~1 µs per histogram observation, ~3.5 µs for the seven
 * calls an offload batch makes. Here a bound series is one or two field
 * writes; label keys are built once, when a series is first asked for.
 *
 * The API is the part of prom-client's the agent uses: `inc`/`set`/`dec`/
 * `observe` with or without a label object, `labels(obj)` for a series to
 * keep on a hot path, `get()`, `reset()`.
 */
import type { Registry } from 'prom-client';

export type LabelValues<L extends string> = Partial<Record<L, string | number>>;

type Labels = Readonly<Record<string, string | number>>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

export interface MetricData {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  aggregator: 'sum';
  values: MetricValue[];
}

interface FamilyOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers?: readonly Registry[];
}

/** Series by label values; the key is built from the declared label names in order. */
abstract class Family<L extends string, S extends { readonly labels: Labels; readonly used: boolean }> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  readonly labelNames: readonly L[];
  readonly #series = new Map<string, S>();
  /** The unlabelled series, kept apart: most calls without labels go there. */
  #plain: S | null = null;

  constructor(o: FamilyOptions<L>) {
    this.name = o.name;
    this.help = o.help;
    this.labelNames = o.labelNames ?? [];
    for (const r of o.registers ?? []) r.registerMetric(this as never);
  }

  protected abstract create(labels: Labels): S;

  /** The series for these label values: keep it on hot paths. */
  labels(values: LabelValues<L>): S {
    const names = this.labelNames;
    let key = '';
    for (let i = 0; i < names.length; i++) {
      const v = values[names[i]!];
      key += v === undefined ? '\u0001' : `${v}\u0000`;
    }
    for (const k in values) {
      if (!names.includes(k as L)) throw new Error(`${this.name}: label "${k}" is not one of its labels`);
    }
    if (key === '' && this.#plain !== null) return this.#plain;
    let s = this.#series.get(key);
    if (s === undefined) {
      const own: Record<string, string | number> = {};
      for (const n of names) if (values[n] !== undefined) own[n] = values[n]!;
      s = this.create(own);
      this.#series.set(key, s);
      if (key === '') this.#plain = s;
    }
    return s;
  }

  /** Drop every series (tests). */
  reset(): void {
    this.#series.clear();
    this.#plain = null;
  }

  /**
   * The series to show: as prom-client, one bound but never used is left
   * out, except a metric's only series when it has no labels (shown at 0).
   */
  protected *series(): IterableIterator<S> {
    if (this.labelNames.length === 0 && this.#plain === null) this.labels({});
    const all = this.labelNames.length === 0;
    for (const s of this.#series.values()) if (all || s.used) yield s;
  }
}

export class CounterSeries {
  value = 0;
  used = false;
  constructor(readonly labels: Labels) {}

  inc(by = 1): void {
    if (!(by >= 0) || by === Number.POSITIVE_INFINITY)
      throw new Error(`counter increment must be ≥ 0: ${by}`);
    this.value += by;
    this.used = true;
  }
}

export class PlainCounter<L extends string = string> extends Family<L, CounterSeries> {
  readonly type = 'counter';

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  inc(labelsOrBy?: LabelValues<L> | number, by?: number): void {
    if (labelsOrBy === undefined || typeof labelsOrBy === 'number') this.labels({}).inc(labelsOrBy);
    else this.labels(labelsOrBy).inc(by);
  }

  async get(): Promise<MetricData> {
    const values: MetricValue[] = [];
    for (const s of this.series()) values.push({ labels: s.labels, value: s.value });
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }
}

export class GaugeSeries {
  value = 0;
  used = false;
  constructor(readonly labels: Labels) {}

  set(v: number): void {
    this.value = v;
    this.used = true;
  }

  inc(by = 1): void {
    this.value += by;
    this.used = true;
  }

  dec(by = 1): void {
    this.value -= by;
    this.used = true;
  }
}

export class PlainGauge<L extends string = string> extends Family<L, GaugeSeries> {
  readonly type = 'gauge';

  protected create(labels: Labels): GaugeSeries {
    return new GaugeSeries(labels);
  }

  set(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'number') this.labels({}).set(labelsOrValue);
    else this.labels(labelsOrValue).set(value ?? 0);
  }

  inc(labelsOrBy?: LabelValues<L> | number, by?: number): void {
    if (labelsOrBy === undefined || typeof labelsOrBy === 'number') this.labels({}).inc(labelsOrBy);
    else this.labels(labelsOrBy).inc(by);
  }

  dec(labelsOrBy?: LabelValues<L> | number, by?: number): void {
    if (labelsOrBy === undefined || typeof labelsOrBy === 'number') this.labels({}).dec(labelsOrBy);
    else this.labels(labelsOrBy).dec(by);
  }

  async get(): Promise<MetricData> {
    const values: MetricValue[] = [];
    for (const s of this.series()) values.push({ labels: s.labels, value: s.value });
    return { name: this.name, help: this.help, type: 'gauge', aggregator: 'sum', values };
  }
}

/** prom-client's default buckets, seconds. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  used = false;

  constructor(
    readonly labels: Labels,
    readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    if (!Number.isFinite(v)) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
    this.used = true;
  }
}

export interface HistogramOptions<L extends string> extends FamilyOptions<L> {
  buckets?: readonly number[];
}

export class PlainHistogram<L extends string = string> extends Family<L, HistogramSeries> {
  readonly type = 'histogram';
  readonly #bounds: readonly number[];

  constructor(o: HistogramOptions<L>) {
    super(o);
    this.#bounds = [...(o.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.#bounds);
  }

  observe(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'number') this.labels({}).observe(labelsOrValue);
    else this.labels(labelsOrValue).observe(value ?? Number.NaN);
  }

  async get(): Promise<MetricData> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series()) {
      let acc = 0;
      for (let i = 0; i < s.bounds.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { le: s.bounds[i]!, ...s.labels }, value: acc, metricName: bucket });
      }
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}
