import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { PlainCounter, PlainGauge, PlainHistogram } from '../../src/common/plain-metrics.js';

/** The same calls on prom-client's metrics and on ours, in two registries: the expositions must match. */
async function both(
  declare: (r: client.Registry, ours: boolean) => Record<string, unknown>,
  calls: (m: Record<string, never>) => void,
): Promise<[string, string]> {
  const theirs = new client.Registry();
  const mine = new client.Registry();
  calls(declare(theirs, false) as Record<string, never>);
  calls(declare(mine, true) as Record<string, never>);
  return [await theirs.metrics(), await mine.metrics()];
}

describe('plain metrics', () => {
  it('expose what prom-client exposes for the same calls', async () => {
    const [theirs, mine] = await both(
      (r, ours) => {
        const o = { registers: [r] };
        return ours
          ? {
              c: new PlainCounter({ name: 't_c', help: 'c', labelNames: ['a', 'b'], ...o }),
              c0: new PlainCounter({ name: 't_c0', help: 'c0', ...o }),
              cIdle: new PlainCounter({ name: 't_c_idle', help: 'idle', ...o }),
              g: new PlainGauge({ name: 't_g', help: 'g', labelNames: ['a'], ...o }),
              g0: new PlainGauge({ name: 't_g0', help: 'g0', ...o }),
              h: new PlainHistogram({
                name: 't_h',
                help: 'h',
                labelNames: ['a'],
                buckets: [0.1, 1, 5],
                ...o,
              }),
              h0: new PlainHistogram({ name: 't_h0', help: 'h0', ...o }),
            }
          : {
              c: new client.Counter({ name: 't_c', help: 'c', labelNames: ['a', 'b'], ...o }),
              c0: new client.Counter({ name: 't_c0', help: 'c0', ...o }),
              cIdle: new client.Counter({ name: 't_c_idle', help: 'idle', ...o }),
              g: new client.Gauge({ name: 't_g', help: 'g', labelNames: ['a'], ...o }),
              g0: new client.Gauge({ name: 't_g0', help: 'g0', ...o }),
              h: new client.Histogram({
                name: 't_h',
                help: 'h',
                labelNames: ['a'],
                buckets: [0.1, 1, 5],
                ...o,
              }),
              h0: new client.Histogram({ name: 't_h0', help: 'h0', ...o }),
            };
      },
      (m: Record<string, never>) => {
        const { c, c0, g, g0, h, h0 } = m as Record<string, Record<string, (...a: unknown[]) => never>>;
        c!.inc!({ a: 'x', b: 'y' });
        c!.inc!({ a: 'x', b: 'y' }, 4);
        // Labels in declared order: prom-client prints them in the caller's order, ours in the declared one.
        c!.inc!({ a: 'z', b: 'only-b' }, 2.5);
        (c!.labels!({ a: 'x', b: 'y' }) as unknown as { inc(n: number): void }).inc(10);
        c!.labels!({ a: 'bound', b: 'unused' });
        h!.labels!({ a: 'bound-unused' });
        c0!.inc!();
        c0!.inc!(7);
        g!.set!({ a: 'x' }, 3);
        g!.inc!({ a: 'x' });
        g!.dec!({ a: 'x' }, 0.5);
        g!.set!({ a: 'q' }, -2);
        g0!.set!(42);
        for (const v of [0.05, 0.1, 0.5, 1, 3, 7, 100]) h!.observe!({ a: 'x' }, v);
        (h!.labels!({ a: 'y' }) as unknown as { observe(n: number): void }).observe(2);
        h0!.observe!(0.007);
        h0!.observe!(11);
      },
    );
    expect(mine).toBe(theirs);
  });

  it('binds one series per label set, kept on hot paths', () => {
    const m = new Metrics();
    const c = m.counter('plkit_bind', 'x', ['a']);
    expect(c).toBe(m.counter('plkit_bind', 'x', ['a']));
    const s = c.labels({ a: '1' });
    expect(c.labels({ a: '1' })).toBe(s);
    expect(c.labels({ a: '2' })).not.toBe(s);
    s.inc(3);
    c.inc({ a: '1' }, 2);
    expect(s.value).toBe(5);
  });

  it('refuses a negative counter increment and a label it was not declared with', () => {
    const m = new Metrics();
    const c = m.counter('plkit_refuse', 'x', ['a']);
    expect(() => c.inc({ a: '1' }, -1)).toThrow(/≥ 0/);
    expect(() => c.inc({ a: '1' }, Number.NaN)).toThrow(/≥ 0/);
    expect(() => c.inc({ a: '1', zz: '2' } as never)).toThrow(/label "zz"/);
  });

  it('tells a missing label from an empty one', async () => {
    const m = new Metrics();
    const c = m.counter('plkit_missing', 'x', ['a', 'b']);
    c.inc({ a: '' });
    c.inc({ a: '', b: '' }, 2);
    const v = (await c.get()).values;
    expect(v).toHaveLength(2);
  });

  it('reset drops every series', async () => {
    const m = new Metrics();
    const h = m.histogram('plkit_reset_seconds', 'x', ['a'], [1]);
    h.observe({ a: 'x' }, 0.5);
    h.reset();
    expect((await h.get()).values).toHaveLength(0);
  });
});
