/**
 * Aggregation buckets: the five functions, series per agg_by values,
 * flushes on the interval (real short timers), on count and on stop,
 * keep_value, global and const tags, and the series bound.
 */
import { describe, expect, it } from 'vitest';
import { newAggregate } from '../../../src/pipeline/services/agg-metric.js';
import { AggService } from '../../../src/pipeline/services/aggregation.js';
import type { Category } from '../../../src/point/category.js';
import type { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';

function collector() {
  const flushed: { category: Category; bucket: string; points: Point[] }[] = [];
  return {
    flushed,
    sink: (category: Category, bucket: string, points: Point[]) => flushed.push({ category, bucket, points }),
  };
}

const spec = { intervalMs: 0, count: 0, keepValue: false, constTags: {} };

describe('aggregate functions', () => {
  it.each([
    ['avg', [1n, 2, '3', true], 1.75],
    ['sum', [1n, 2.5, 'x', null], 3.5],
    ['min', [5n, -1, 3], -1],
    ['max', [5n, -1, 3], 5],
    ['set', [5n, -1, 3], 3],
  ] as const)('%s is %d', (fn, values, want) => {
    const a = newAggregate(fn)!;
    for (const v of values) a.add(v);
    expect(a.value()).toBe(want);
  });

  it('knows only DataKit names', () => {
    expect(newAggregate('count')).toBeNull();
  });
});

describe('AggService', () => {
  it('builds one point per series, with global, const and agg_by tags', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink, globalTags: { host: 'h1', env: 'g' }, now: () => 42n });
    agg.createBucket('metric', 'cpu', { ...spec, constTags: { env: 'const' } });
    expect(agg.hasBucket('metric', 'cpu')).toBe(true);
    expect(agg.hasBucket('logging', 'cpu')).toBe(false);
    agg.addMetric('metric', 'cpu', 'total', 'sum', ['tag1'], ['a'], 1n);
    agg.addMetric('metric', 'cpu', 'total', 'sum', ['tag1'], ['a'], 2n);
    agg.addMetric('metric', 'cpu', 'peak', 'max', ['tag1'], ['a'], 9);
    agg.addMetric('metric', 'cpu', 'total', 'sum', ['tag1'], ['b'], 5n);
    agg.addMetric('metric', 'cpu', 'n', 'sum', ['tag1', 'tag2'], ['a', 'x'], 1n);
    agg.flushAll();
    expect(c.flushed).toHaveLength(1);
    expect(c.flushed[0]!.category).toBe('metric');
    expect(c.flushed[0]!.points.map((p) => toTyped(p))).toEqual([
      {
        name: 'cpu',
        time_ns: '42',
        tags: { host: 'h1', env: 'const', tag1: 'a' },
        fields: { total: { f: 3 }, peak: { f: 9 } },
      },
      {
        name: 'cpu',
        time_ns: '42',
        tags: { host: 'h1', env: 'const', tag1: 'b' },
        fields: { total: { f: 5 } },
      },
      {
        name: 'cpu',
        time_ns: '42',
        tags: { host: 'h1', env: 'const', tag1: 'a', tag2: 'x' },
        fields: { n: { f: 1 } },
      },
    ]);
    // the series start over after a flush
    agg.flushAll();
    expect(c.flushed).toHaveLength(1);
  });

  it('keeps the values across flushes with keepValue', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink });
    agg.createBucket('metric', 'k', { ...spec, keepValue: true });
    agg.addMetric('metric', 'k', 'f', 'sum', ['t'], ['a'], 1n);
    agg.flushAll();
    agg.addMetric('metric', 'k', 'f', 'sum', ['t'], ['a'], 1n);
    agg.flushAll();
    expect(c.flushed.map((f) => f.points[0]!.fields.get('f'))).toEqual([1, 2]);
  });

  it('flushes after on_count additions', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink });
    agg.createBucket('logging', 'by-count', { ...spec, count: 2 });
    agg.addMetric('logging', 'by-count', 'f', 'sum', ['t'], ['a'], 1n);
    expect(c.flushed).toHaveLength(0);
    agg.addMetric('logging', 'by-count', 'f', 'sum', ['t'], ['a'], 1n);
    expect(c.flushed).toHaveLength(1);
    expect(c.flushed[0]!.category).toBe('logging');
    expect(c.flushed[0]!.points[0]!.fields.get('status')).toBe('info');
  });

  it('flushes on its interval', async () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink });
    agg.createBucket('metric', 'timed', { ...spec, intervalMs: 100 });
    agg.addMetric('metric', 'timed', 'f', 'sum', ['t'], ['a'], 1n);
    await new Promise((r) => setTimeout(r, 350));
    agg.stop();
    expect(c.flushed).toHaveLength(1);
    expect(c.flushed[0]!.bucket).toBe('timed');
  });

  it('flushes on stop, once, and creates nothing after', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink });
    agg.createBucket('metric', 's', { ...spec, intervalMs: 60_000 });
    agg.addMetric('metric', 's', 'f', 'avg', ['t'], ['a'], 4n);
    agg.stop();
    agg.stop();
    expect(c.flushed).toHaveLength(1);
    agg.createBucket('metric', 's2', spec);
    expect(agg.hasBucket('metric', 's2')).toBe(false);
  });

  it('keeps the first settings of a bucket', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink });
    agg.createBucket('metric', 'b', { ...spec, constTags: { v: '1' } });
    agg.createBucket('metric', 'b', { ...spec, constTags: { v: '2' } });
    agg.addMetric('metric', 'b', 'f', 'sum', ['t'], ['a'], 1n);
    agg.flushAll();
    expect(c.flushed[0]!.points[0]!.tags.get('v')).toBe('1');
  });

  it('refuses additions to missing buckets, unknown functions and full buckets', () => {
    const c = collector();
    const agg = new AggService({ sink: c.sink, maxSeriesPerBucket: 1 });
    expect(agg.addMetric('metric', 'nope', 'f', 'sum', ['t'], ['a'], 1n)).toBe(false);
    agg.createBucket('metric', 'b', spec);
    expect(agg.addMetric('metric', 'b', 'f', 'count', ['t'], ['a'], 1n)).toBe(false);
    expect(agg.addMetric('metric', 'b', 'f', 'sum', ['t'], ['a'], 1n)).toBe(true);
    expect(agg.addMetric('metric', 'b', 'f', 'sum', ['t'], ['b'], 1n)).toBe(false);
    expect(agg.droppedSeries).toBe(1);
    expect(agg.addMetric('metric', 'b', 'f', 'sum', ['t', 'u'], ['a'], 1n)).toBe(false);
  });
});
