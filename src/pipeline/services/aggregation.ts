/**
 * Metrics built from logs: the buckets of `agg_create` / `agg_metric`.
 *
 * A bucket (category + name, shared by every script as in DataKit) holds
 * one series per set of `agg_by` tag names and their values; each series
 * holds one aggregate per field. A bucket is flushed — its series become
 * points named after the bucket (global tags, the bucket's const tags and
 * the `agg_by` tags; one float field per aggregate; time = flush time) —
 * every `on_interval`, after every `on_count` additions when set, and on
 * `stop()`. After a flush the series start over unless the bucket keeps
 * its values (`keep_value`). Flushed points go to the sink the agent
 * gives (the uploader, as the bucket's category, metric by default).
 *
 * Bounds DataKit does not have: at most `maxSeriesPerBucket` series (new
 * ones beyond are dropped and counted in `droppedSeries`), and intervals
 * shorter than 100 ms run every 100 ms.
 */
import type { Category } from '../../point/category.js';
import { normalizePoint } from '../../point/normalize.js';
import { Point } from '../../point/point.js';
import type { FieldValue } from '../../point/value.js';
import type { Value } from '../lang/values.js';
import { type Aggregate, newAggregate } from './agg-metric.js';

/** Receives flushed points; must not throw (errors are the sink's to report). */
export type AggSink = (category: Category, bucket: string, points: Point[]) => void;

export interface AggServiceOptions {
  sink: AggSink;
  /** Tags every aggregated point carries (DataKit adds its global tags). */
  globalTags?: Readonly<Record<string, string>>;
  maxSeriesPerBucket?: number;
  /** Clock in Unix nanoseconds (tests). */
  now?: () => bigint;
}

export interface BucketSpec {
  intervalMs: number;
  /** Flush after this many additions; 0 = only on the interval. */
  count: number;
  keepValue: boolean;
  constTags: Readonly<Record<string, string>>;
}

const MIN_INTERVAL_MS = 100;

interface Series {
  values: string[];
  fields: Map<string, Aggregate>;
}

interface Group {
  names: string[];
  series: Map<string, Series>;
}

class Bucket {
  readonly category: Category;
  readonly name: string;
  readonly spec: BucketSpec;
  readonly groups = new Map<string, Group>();
  seriesCount = 0;
  added = 0;
  timer: ReturnType<typeof setInterval> | null = null;

  constructor(category: Category, name: string, spec: BucketSpec) {
    this.category = category;
    this.name = name;
    this.spec = spec;
  }
}

export class AggService {
  readonly #sink: AggSink;
  readonly #globalTags: Readonly<Record<string, string>>;
  readonly #maxSeries: number;
  readonly #now: () => bigint;
  readonly #buckets = new Map<string, Bucket>();
  #stopped = false;
  /** Series refused because a bucket was full. */
  droppedSeries = 0;

  constructor(opts: AggServiceOptions) {
    this.#sink = opts.sink;
    this.#globalTags = opts.globalTags ?? {};
    this.#maxSeries = opts.maxSeriesPerBucket ?? 100_000;
    this.#now = opts.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  hasBucket(category: Category, name: string): boolean {
    return this.#buckets.has(bucketKey(category, name));
  }

  /** Create a bucket unless it exists (an existing one keeps its settings, as in DataKit). */
  createBucket(category: Category, name: string, spec: BucketSpec): void {
    if (this.#stopped) return;
    const key = bucketKey(category, name);
    if (this.#buckets.has(key)) return;
    const b = new Bucket(category, name, spec);
    this.#buckets.set(key, b);
    if (spec.intervalMs > 0) {
      b.timer = setInterval(() => this.#flush(b), Math.max(MIN_INTERVAL_MS, spec.intervalMs));
      b.timer.unref();
    }
  }

  /**
   * Add `value` to field `field` (aggregated by `fn`) of the series of
   * `byNames` = `byValues` in the bucket. False when the bucket does not
   * exist, `fn` is unknown or the bucket is full.
   */
  addMetric(
    category: Category,
    bucket: string,
    field: string,
    fn: string,
    byNames: readonly string[],
    byValues: readonly string[],
    value: Value,
  ): boolean {
    const b = this.#buckets.get(bucketKey(category, bucket));
    if (b === undefined || byNames.length !== byValues.length) return false;
    const gk = joinKey(byNames);
    let g = b.groups.get(gk);
    if (g === undefined) {
      g = { names: byNames.slice(), series: new Map() };
      b.groups.set(gk, g);
    }
    const sk = joinKey(byValues);
    let s = g.series.get(sk);
    if (s === undefined) {
      if (b.seriesCount >= this.#maxSeries) {
        this.droppedSeries++;
        return false;
      }
      s = { values: byValues.slice(), fields: new Map() };
      g.series.set(sk, s);
      b.seriesCount++;
    }
    let agg = s.fields.get(field);
    if (agg === undefined) {
      const made = newAggregate(fn);
      if (made === null) return false;
      agg = made;
      s.fields.set(field, agg);
    }
    agg.add(value);
    if (b.spec.count > 0 && ++b.added >= b.spec.count) {
      b.added = 0;
      this.#flush(b);
    }
    return true;
  }

  /** Flush every bucket now. */
  flushAll(): void {
    for (const b of this.#buckets.values()) this.#flush(b);
  }

  /** Flush everything and stop the timers; later buckets are not created. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const b of this.#buckets.values()) {
      if (b.timer !== null) clearInterval(b.timer);
      b.timer = null;
      this.#flush(b);
    }
    this.#buckets.clear();
  }

  #flush(b: Bucket): void {
    const points = this.#points(b);
    if (!b.spec.keepValue) {
      b.groups.clear();
      b.seriesCount = 0;
    }
    if (points.length > 0) this.#sink(b.category, b.name, points);
  }

  #points(b: Bucket): Point[] {
    const out: Point[] = [];
    const time = this.#now();
    for (const g of b.groups.values()) {
      for (const s of g.series.values()) {
        const tags = new Map<string, string>();
        for (const k in this.#globalTags) tags.set(k, this.#globalTags[k]!);
        for (const k in b.spec.constTags) tags.set(k, b.spec.constTags[k]!);
        for (let i = 0; i < g.names.length; i++) tags.set(g.names[i]!, s.values[i]!);
        const fields = new Map<string, FieldValue>();
        for (const [k, agg] of s.fields) fields.set(k, agg.value());
        const pt = new Point(b.name, tags, fields, time, b.category);
        normalizePoint(pt, b.category);
        out.push(pt);
      }
    }
    return out;
  }
}

function bucketKey(category: Category, name: string): string {
  return `${category}\u0000${name}`;
}

/** A collision-free key for a list of strings. */
function joinKey(parts: readonly string[]): string {
  return JSON.stringify(parts);
}
