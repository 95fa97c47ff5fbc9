import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { RecentSummary } from '../../src/common/recent-summary.js';

describe('RecentSummary', () => {
  it('exposes quantiles, _sum and _count in the Prometheus summary format', async () => {
    const m = new Metrics();
    const s = m.summary('plkit_test_cost_seconds', 'Test cost', ['api', 'status']);
    const a = s.labels({ api: '/v1/write', status: '200' });
    for (let i = 1; i <= 100; i++) a.observe(i / 100);
    s.observe({ api: '/v1/ping', status: '200' }, 0.5);
    const text = await m.text();
    expect(text).toContain('# TYPE plkit_test_cost_seconds summary');
    expect(text).toContain('plkit_test_cost_seconds{api="/v1/write",status="200",quantile="0.5"} 0.51');
    expect(text).toContain('plkit_test_cost_seconds{api="/v1/write",status="200",quantile="0.99"} 1');
    expect(text).toMatch(/plkit_test_cost_seconds_sum\{api="\/v1\/write",status="200"\} 50\.5/);
    expect(text).toContain('plkit_test_cost_seconds_count{api="/v1/write",status="200"} 100');
    expect(text).toContain('plkit_test_cost_seconds_count{api="/v1/ping",status="200"} 1');
  });

  it('returns the same metric when declared twice, and binds one series per label set', () => {
    const m = new Metrics();
    const s1 = m.summary('plkit_twice', 'x', ['a']);
    const s2 = m.summary('plkit_twice', 'x', ['a']);
    expect(s1).toBe(s2);
    expect(s1.labels({ a: '1' })).toBe(s1.labels({ a: '1' }));
    expect(s1.labels({ a: '1' })).not.toBe(s1.labels({ a: '2' }));
  });

  it('takes quantiles from the latest `window` observations but counts them all', async () => {
    const s = new RecentSummary({ name: 'w', help: 'w', labelNames: [], window: 10, percentiles: [0.5] });
    for (let i = 0; i < 100; i++) s.observe(i < 90 ? 1000 : 1);
    const v = (await s.get()).values;
    expect(v.find((x) => x.labels.quantile === 0.5)?.value).toBe(1);
    expect(v.find((x) => x.metricName === 'w_count')?.value).toBe(100);
  });

  it('leaves observations older than maxAge out of the quantiles (NaN when none is recent)', async () => {
    let now = 0;
    const s = new RecentSummary({ name: 'age', help: 'a', labelNames: [], maxAgeMs: 1000, now: () => now });
    s.observe(5);
    now = 5000;
    const v = (await s.get()).values;
    expect(v.find((x) => x.labels.quantile === 0.5)?.value).toBeNaN();
    expect(v.find((x) => x.metricName === 'age_sum')?.value).toBe(5);
  });

  it('ignores non-finite observations', async () => {
    const s = new RecentSummary({ name: 'nf', help: 'n', labelNames: [] });
    s.observe(Number.NaN);
    s.observe(Number.POSITIVE_INFINITY);
    expect((await s.get()).values.find((x) => x.metricName === 'nf_count')?.value).toBe(0);
  });
});
