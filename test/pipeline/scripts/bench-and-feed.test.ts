import { afterEach, describe, expect, it } from 'vitest';
import { Feed } from '../../../src/io/feed.js';
import { compileScript } from '../../../src/pipeline/index.js';
import { autoBenchmark, autoBenchmarkYielding, timeRuns } from '../../../src/pipeline/scripts/bench.js';
import { ScriptPipelineStage } from '../../../src/pipeline/scripts/pipeline-stage.js';
import { ScriptStore } from '../../../src/pipeline/scripts/script-store.js';
import type { Category } from '../../../src/point/category.js';
import type { Point } from '../../../src/point/point.js';
import { type Install, logPoint, makeInstall, testRegistry } from './fixtures.js';

describe('benchmark loop', () => {
  const compiled = compileScript('add_key(n, 1)\ndrop()', { name: 'b.p' });
  if (!compiled.ok) throw compiled.error;
  const script = compiled.script;

  it('runs on copies, never on the given points', () => {
    const pt = logPoint('x');
    expect(timeRuns(script, [pt], 2500)).toBeGreaterThan(0);
    expect(pt.fields.has('n')).toBe(false);
  });

  it('grows N until the budget is used, in both variants', async () => {
    const t0 = performance.now();
    const a = autoBenchmark(script, [logPoint('x')], 30);
    expect(a.n).toBeGreaterThan(100);
    expect(a.nsPerOp).toBeGreaterThan(0);
    const b = await autoBenchmarkYielding(script, [logPoint('x')], 30);
    expect(b.n).toBeGreaterThan(100);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('lets other work run while the yielding variant measures', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await autoBenchmarkYielding(script, [logPoint('x')], 60);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });
});

describe('ScriptPipelineStage inside io/feed', () => {
  let install: Install | null = null;
  let store: ScriptStore | null = null;
  afterEach(async () => {
    await store?.stop();
    install?.cleanup();
  });

  it('feeds processed points and sub-points to the uploader and remote ones to the offloader', async () => {
    install = makeInstall();
    install.write('pipeline/local.p', 'add_key(status, "warn")\nemit("m")');
    install.write('pipeline/quiet.p', 'add_key(status, "debug")');
    install.write('pipeline_remote/logging/remote.p', 'add_key(touched, true)');
    store = new ScriptStore({ folders: install.folders, registry: testRegistry(), watch: false });
    await store.start();
    const uploaded: { category: Category; points: readonly Point[] }[] = [];
    const offloaded: Point[] = [];
    const feed = new Feed({
      pipeline: new ScriptPipelineStage({ store }),
      uploader: { write: (category, points) => uploaded.push({ category, points }) },
      offloader: {
        send: async (points) => {
          offloaded.push(...points);
        },
      },
    });
    const r = await feed.feed({
      category: 'logging',
      points: [logPoint('local'), logPoint('quiet'), logPoint('remote')],
      input: 'test',
      ignoreStatus: ['debug'],
    });
    expect(r).toMatchObject({ offloaded: 1, dropped: 1 });
    expect(offloaded.map((p) => [p.name, p.fields.has('touched')])).toEqual([['remote', false]]);
    expect(uploaded.map((u) => [u.category, u.points.map((p) => p.name)])).toEqual([
      ['logging', ['local']],
      ['metric', ['m']],
    ]);
    expect(uploaded[0]!.points[0]!.fields.get('status')).toBe('warning');
  });
});
