import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/common/metrics.js';
import { ScriptPipelineStage } from '../../../src/pipeline/scripts/pipeline-stage.js';
import { ScriptStore } from '../../../src/pipeline/scripts/script-store.js';
import { Point } from '../../../src/point/point.js';
import { type Install, logPoint, makeInstall, testRegistry } from './fixtures.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(files: Record<string, string>, configDefaults = {}) {
  const i: Install = makeInstall();
  for (const [rel, text] of Object.entries(files)) i.write(rel, text);
  const metrics = new Metrics();
  const store = new ScriptStore({
    folders: i.folders,
    registry: testRegistry(),
    watch: false,
    configDefaults,
  });
  await store.start();
  cleanup.push(
    () => i.cleanup(),
    () => store.stop(),
  );
  const stage = new ScriptPipelineStage({ store, metrics });
  return { i, store, stage, metrics };
}

async function metricValues(metrics: Metrics, name: string) {
  const m = metrics.registry.getSingleMetric(name);
  if (m === undefined) return [];
  return (await m.get()).values.map((v) => ({ ...v.labels, value: v.value }));
}

describe('ScriptPipelineStage', () => {
  it('runs the selected script in place, drops dropped points and leaves points without a script alone', async () => {
    const { stage } = await setup({
      'pipeline/nginx.p': 'add_key(parsed, true)',
      'pipeline/spam.p': 'drop()',
    });
    const a = logPoint('nginx');
    const b = logPoint('spam');
    const c = logPoint('other');
    const r = stage.process('logging', [a, b, c], {}, { splitOffload: false });
    expect(r.kept).toEqual([a, c]);
    expect(a.fields.get('parsed')).toBe(true);
    expect(c.fields.has('parsed')).toBe(false);
    expect(r.offload).toEqual([]);
    expect(r.extra).toEqual([]);
  });

  it('splits remote-namespace logging points to offload, untouched, only when asked', async () => {
    const { stage } = await setup({
      'pipeline_remote/logging/nginx.p': 'add_key(parsed, "remote")',
      'pipeline/local.p': 'add_key(parsed, "local")',
      'pipeline_remote/metric/cpu.p': 'add_key(parsed, "remote metric")',
    });
    const a = logPoint('nginx');
    const b = logPoint('local');
    const r = stage.process('logging', [a, b], {}, { splitOffload: true });
    expect(r.offload).toEqual([a]);
    expect(a.fields.has('parsed')).toBe(false);
    expect(r.kept).toEqual([b]);
    expect(b.fields.get('parsed')).toBe('local');

    const a2 = logPoint('nginx');
    const r2 = stage.process('logging', [a2], {}, { splitOffload: false });
    expect(r2.kept).toEqual([a2]);
    expect(a2.fields.get('parsed')).toBe('remote');

    const m = new Point('cpu', new Map(), new Map([['v', 1]]), 1n, 'metric');
    const r3 = stage.process('metric', [m], {}, { splitOffload: true });
    expect(r3.offload).toEqual([]);
    expect(m.fields.get('parsed')).toBe('remote metric');
  });

  it('keeps a point whose script faulted as the script left it, without its sub-points', async () => {
    const { stage, metrics } = await setup({
      'pipeline/bad.p': 'add_key(step, 1)\nemit("m")\nboom()\nadd_key(step, 2)',
    });
    const a = logPoint('bad');
    const r = stage.process('logging', [a], {}, { splitOffload: false });
    expect(r.kept).toEqual([a]);
    expect(a.fields.get('step')).toBe(1n);
    expect(r.extra).toEqual([]);
    expect(await metricValues(metrics, 'datakit_pipeline_error_point_total')).toEqual([
      { category: 'logging', name: 'bad.p', namespace: 'default', value: 1 },
    ]);
  });

  it('collects create_point sub-points by category, also from dropped points', async () => {
    const { stage } = await setup({ 'pipeline/a.p': 'emit("m1")\nemit("m2")\ndrop()' });
    const r = stage.process('logging', [logPoint('a'), logPoint('a')], {}, { splitOffload: false });
    expect(r.kept).toEqual([]);
    expect(r.extra).toHaveLength(1);
    expect(r.extra[0]!.category).toBe('metric');
    expect(r.extra[0]!.points.map((p) => p.name)).toEqual(['m1', 'm2', 'm1', 'm2']);
  });

  it('counts points, drops and cost per script with DataKit names and labels', async () => {
    const { stage, metrics } = await setup({
      'pipeline/a.p': 'add_key(x, 1)',
      'pipeline_confd/b.p': 'drop()',
    });
    stage.process('logging', [logPoint('a'), logPoint('a'), logPoint('b')], {}, { splitOffload: false });
    expect(await metricValues(metrics, 'datakit_pipeline_point_total')).toEqual([
      { category: 'logging', name: 'a.p', namespace: 'default', value: 2 },
      { category: 'logging', name: 'b.p', namespace: 'confd', value: 1 },
    ]);
    expect(await metricValues(metrics, 'datakit_pipeline_drop_point_total')).toEqual([
      { category: 'logging', name: 'b.p', namespace: 'confd', value: 1 },
    ]);
    const cost = (await metricValues(metrics, 'datakit_pipeline_cost_seconds')) as Record<string, unknown>[];
    expect(cost.some((c) => c.name === 'a.p' && c.namespace === 'default')).toBe(true);
  });

  it('uses the input script for points of its source, `-` for none, and never falls through', async () => {
    const { stage } = await setup({
      'pipeline/nginx.p': 'add_key(by, "nginx.p")',
      'pipeline/custom.p': 'add_key(by, "custom.p")',
    });
    const run = (sel: { scriptName?: string; source?: string }, name: string) => {
      const pt = logPoint(name);
      stage.process('logging', [pt], sel, { splitOffload: false });
      return pt.fields.get('by');
    };
    expect(run({ scriptName: 'custom.p', source: 'nginx' }, 'nginx')).toBe('custom.p');
    expect(run({ scriptName: 'custom.p', source: 'nginx' }, 'other')).toBeUndefined();
    expect(run({ scriptName: 'custom.p' }, 'other')).toBe('custom.p');
    expect(run({ scriptName: '-', source: 'nginx' }, 'nginx')).toBeUndefined();
    expect(run({ scriptName: '', source: 'nginx' }, 'nginx')).toBe('nginx.p');
    expect(run({ scriptName: 'missing.p', source: 'nginx' }, 'nginx')).toBeUndefined();
  });

  it('routes by pulled relations and defaults, then the configured default', async () => {
    const { stage, store } = await setup(
      {
        'pipeline_remote/logging/rel.p': 'add_key(by, "relation")',
        'pipeline_remote/logging/pulled-default.p': 'add_key(by, "pulled default")',
        'pipeline/conf-default.p': 'add_key(by, "config default")',
        'pipeline/web.p': 'add_key(by, "feature")',
      },
      { logging: 'conf-default.p' },
    );
    const run = (name: string) => {
      const pt = logPoint(name);
      const r = stage.process('logging', [pt], {}, { splitOffload: false });
      return [pt.fields.get('by'), r.kept.length];
    };
    expect(run('web')).toEqual(['config default', 1]);
    store.setRemoteRouting([{ category: 'logging', source: 'web', name: 'rel.p' }], {
      logging: 'pulled-default.p',
    });
    expect(run('web')).toEqual(['relation', 1]);
    expect(run('api')).toEqual(['pulled default', 1]);
    store.setRemoteRouting([{ category: 'logging', source: 'web', name: 'gone.p' }], {});
    expect(run('web')).toEqual([undefined, 1]);
    expect(run('api')).toEqual(['config default', 1]);
  });
});
