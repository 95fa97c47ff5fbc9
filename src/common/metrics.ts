/**
 * The one metrics registry (Prometheus, via prom-client), created at
 * start-up and handed to every component. Components declare their metrics
 * through `counter`/`gauge`/`summary`/`histogram`, which return the existing
 * metric when a name is declared twice, so two components (or two tests)
 * sharing a registry never clash. The metrics are our own (plain-metrics.ts,
 * recent-summary.ts): prom-client's cost microseconds a call on hot paths;
 * its registry still formats them.
 */
import client from 'prom-client';
import { PlainCounter, PlainGauge, PlainHistogram } from './plain-metrics.js';
import { RecentSummary } from './recent-summary.js';

export class Metrics {
  readonly registry: client.Registry;

  constructor() {
    this.registry = new client.Registry();
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): PlainCounter<L> {
    return this.#get(name) ?? new PlainCounter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): PlainGauge<L> {
    return this.#get(name) ?? new PlainGauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** DataKit's summaries; quantiles over recent observations (see recent-summary.ts). */
  summary<L extends string>(name: string, help: string, labelNames: readonly L[] = []): RecentSummary<L> {
    return (
      this.#get(name) ??
      new RecentSummary({
        name,
        help,
        labelNames,
        percentiles: [0.5, 0.9, 0.99],
        maxAgeMs: 600_000,
        registers: [this.registry],
      })
    );
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: number[],
  ): PlainHistogram<L> {
    return (
      this.#get(name) ?? new PlainHistogram({ name, help, labelNames, buckets, registers: [this.registry] })
    );
  }

  #get<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
