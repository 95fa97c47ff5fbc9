import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/common/metrics.js';
import { ScriptStore, type ScriptStoreOptions } from '../../../src/pipeline/scripts/script-store.js';
import { eventually, type Install, logPoint, makeInstall, testRegistry } from './fixtures.js';

let installs: Install[] = [];
let stores: ScriptStore[] = [];
afterEach(async () => {
  for (const s of stores) await s.stop();
  for (const i of installs) i.cleanup();
  installs = [];
  stores = [];
});

function install(): Install {
  const i = makeInstall();
  installs.push(i);
  return i;
}

async function open(i: Install, extra: Partial<ScriptStoreOptions> = {}): Promise<ScriptStore> {
  const s = new ScriptStore({ folders: i.folders, registry: testRegistry(), watch: false, ...extra });
  stores.push(s);
  await s.start();
  return s;
}

/** Run the serving script `name` of `category` on a fresh point; the field `by` tells which version ran. */
function runBy(s: ScriptStore, name: string, category: 'logging' | 'metric' = 'logging') {
  const rec = s.index.get(category, name);
  if (rec === undefined) return undefined;
  const pt = logPoint('x');
  rec.script.run(pt);
  return pt.fields.get('by');
}

describe('ScriptStore: folders and namespaces', () => {
  it('reads top-level scripts as logging, category folders by category, and lets logging/ win', async () => {
    const i = install();
    i.write('pipeline/top.p', 'add_key(by, "top")');
    i.write('pipeline/dup.p', 'add_key(by, "top-level dup")');
    i.write('pipeline/logging/dup.p', 'add_key(by, "logging/ dup")');
    i.write('pipeline/metric/cpu.p', 'add_key(by, "metric cpu")');
    i.write('pipeline/notes.txt', 'not a script');
    i.write('pipeline/unknowncat/x.p', 'add_key(by, "ignored")');
    const s = await open(i);
    expect(runBy(s, 'top.p')).toBe('top');
    expect(runBy(s, 'dup.p')).toBe('logging/ dup');
    expect(runBy(s, 'cpu.p', 'metric')).toBe('metric cpu');
    expect(s.index.get('logging', 'cpu.p')).toBeUndefined();
    expect(s.index.get('logging', 'x.p')).toBeUndefined();
    expect(s.index.all().map((r) => `${r.ns}/${r.category}/${r.name}`)).toEqual([
      'default/logging/dup.p',
      'default/logging/top.p',
      'default/metric/cpu.p',
    ]);
  });

  it('shadows remote > confd > gitrepo > default, per category', async () => {
    const i = install();
    i.write('pipeline/a.p', 'add_key(by, "default")');
    i.write('pipeline_gitrepos/repo1/a.p', 'add_key(by, "gitrepo")');
    i.write('pipeline_confd/a.p', 'add_key(by, "confd")');
    i.write('pipeline_remote/logging/a.p', 'add_key(by, "remote")');
    i.write('pipeline/b.p', 'add_key(by, "default")');
    i.write('pipeline_gitrepos/repo1/b.p', 'add_key(by, "gitrepo")');
    i.write('pipeline/c.p', 'add_key(by, "default")');
    i.write('pipeline_remote/metric/c.p', 'add_key(by, "remote metric")');
    const s = await open(i);
    expect(s.index.get('logging', 'a.p')!.ns).toBe('remote');
    expect(runBy(s, 'a.p')).toBe('remote');
    expect(s.index.get('logging', 'b.p')!.ns).toBe('gitrepo');
    expect(s.index.get('logging', 'c.p')!.ns).toBe('default');
    expect(s.index.get('metric', 'c.p')!.ns).toBe('remote');
    expect(s.index.getIn('default', 'logging', 'a.p')).toBeDefined();
    expect(s.index.isShadowed(s.index.getIn('default', 'logging', 'a.p')!)).toBe(true);
  });

  it('reads every git repository, the first in name order keeping a name', async () => {
    const i = install();
    i.write('pipeline_gitrepos/b-repo/x.p', 'add_key(by, "b-repo")');
    i.write('pipeline_gitrepos/a-repo/x.p', 'add_key(by, "a-repo")');
    i.write('pipeline_gitrepos/b-repo/metric/m.p', 'add_key(by, "b-repo m")');
    const s = await open(i);
    expect(runBy(s, 'x.p')).toBe('a-repo');
    expect(runBy(s, 'm.p', 'metric')).toBe('b-repo m');
  });

  it('hands each namespace its pattern/ files and recompiles when they change', async () => {
    const i = install();
    i.write('pipeline/pattern/base', '# comment\n\nWORDY \\w+\nNUM \\d+\n');
    i.write('pipeline/pattern/more', 'NUM [0-9]+\r\n');
    i.write('pipeline_remote/pattern/r', 'REMOTE_ONLY x\n');
    i.write('pipeline/a.p', 'add_key(by, "a")');
    i.write('pipeline_remote/logging/b.p', 'add_key(by, "b")');
    const seen: Record<string, string>[] = [];
    const s = await open(i, {
      grokLibrary: (p) => {
        seen.push(Object.fromEntries(p));
        return { patterns: p };
      },
    });
    expect(seen).toContainEqual({ WORDY: '\\w+', NUM: '[0-9]+' });
    expect(seen).toContainEqual({ REMOTE_ONLY: 'x' });
    const first = s.index.get('logging', 'a.p')!;
    await s.reload('default');
    expect(s.index.get('logging', 'a.p')).toBe(first); // nothing changed, nothing recompiled
    i.write('pipeline/pattern/more', 'NUM [0-9]{1,3}\n');
    await s.reload('default');
    expect(s.index.get('logging', 'a.p')).not.toBe(first);
    expect(s.baseServices('default').grokPatterns).toEqual(
      new Map([
        ['WORDY', '\\w+'],
        ['NUM', '[0-9]{1,3}'],
      ]),
    );
  });

  it('reports pattern lines it cannot read', async () => {
    const i = install();
    i.write('pipeline/pattern/bad', 'JUSTANAME\n');
    const s = await open(i);
    expect(s.fileProblems()).toEqual([
      expect.objectContaining({ ns: 'default', message: expect.stringContaining('line 1') }),
    ]);
  });
});

describe('ScriptStore: use()', () => {
  it('resolves inside the caller namespace and category only', async () => {
    const i = install();
    i.write('pipeline/main.p', 'use("lib.p")\nadd_key(main, "ran")');
    i.write('pipeline/lib.p', 'add_key(lib, "default lib")');
    i.write('pipeline_remote/logging/lib.p', 'add_key(lib, "remote lib")');
    i.write('pipeline/metric/only-metric.p', 'add_key(lib, "metric")');
    i.write('pipeline/uses-metric.p', 'use("only-metric.p")\nadd_key(main, "ran")');
    const s = await open(i);
    const pt = logPoint('x');
    s.index.get('logging', 'main.p')!.script.run(pt);
    expect(pt.fields.get('lib')).toBe('default lib');
    const pt2 = logPoint('x');
    s.index.get('logging', 'uses-metric.p')!.script.run(pt2);
    expect(pt2.fields.get('lib')).toBeUndefined();
    expect(pt2.fields.get('main')).toBe('ran');
  });

  it('runs the version of a used script serving now', async () => {
    const i = install();
    i.write('pipeline/main.p', 'use("lib.p")');
    i.write('pipeline/lib.p', 'add_key(lib, "v1")');
    const s = await open(i);
    const main = s.index.get('logging', 'main.p')!;
    i.write('pipeline/lib.p', 'add_key(lib, "v2")');
    await s.reload('default');
    expect(s.index.get('logging', 'main.p')).toBe(main);
    const pt = logPoint('x');
    main.script.run(pt);
    expect(pt.fields.get('lib')).toBe('v2');
  });

  it.each([
    ['a self-use', { 'a.p': 'use("a.p")' }, 'a.p', 'circular use: a.p -> a.p'],
    ['a two-script cycle', { 'a.p': 'use("b.p")', 'b.p': 'x = 1\nuse("a.p")' }, 'b.p', 'b.p -> a.p -> b.p'],
    [
      'a three-script cycle',
      { 'a.p': 'use("b.p")', 'b.p': 'use("c.p")', 'c.p': 'use("a.p")', 'd.p': 'use("a.p")' },
      'c.p',
      'c.p -> a.p -> b.p -> c.p',
    ],
  ])('refuses %s with an error naming the chain', async (_label, files, name, chain) => {
    const i = install();
    for (const [n, t] of Object.entries(files)) i.write(`pipeline/${n}`, t);
    const s = await open(i);
    const p = s.problems().find((x) => x.name === name)!;
    expect(p.error.message).toContain(chain);
    expect(p.error.code).toBe('PLK_ERR_COMPILE');
    expect(p.error.loc.column).toBe(1);
    expect(s.index.get('logging', name)).toBeUndefined();
    if ('d.p' in files) expect(s.index.get('logging', 'd.p')).toBeDefined();
  });

  it('points the cycle error at the use() call that closes it', async () => {
    const i = install();
    i.write('pipeline/a.p', '# lib\nadd_key(x, 1)\n  use("a.p")\n');
    const s = await open(i);
    const [p] = s.problems();
    expect(p!.error.loc).toEqual({ line: 3, column: 3 });
  });

  it('keeps the previous version when an edit closes a cycle', async () => {
    const i = install();
    i.write('pipeline/a.p', 'use("b.p")\nadd_key(a, "v1")');
    i.write('pipeline/b.p', 'add_key(b, "v1")');
    const s = await open(i);
    i.write('pipeline/b.p', 'use("a.p")\nadd_key(b, "v2")');
    await s.reload('default');
    expect(s.problems().map((p) => [p.name, p.serving])).toEqual([['b.p', true]]);
    const pt = logPoint('x');
    s.index.get('logging', 'a.p')!.script.run(pt);
    expect(pt.fields.get('b')).toBe('v1');
  });
});

describe('ScriptStore: reload', () => {
  it('keeps the last good version of a broken script, reports it, and serves the fix', async () => {
    const i = install();
    const metrics = new Metrics();
    i.write('pipeline/a.p', 'add_key(by, "good")');
    const s = await open(i, { metrics });
    i.write('pipeline/a.p', 'add_key(by, "broken"');
    await s.reload();
    expect(runBy(s, 'a.p')).toBe('good');
    const [p] = s.problems();
    expect(p).toMatchObject({ ns: 'default', category: 'logging', name: 'a.p', serving: true });
    expect(p!.error.short).toMatch(/^a\.p:1:\d+: /);
    const counted = await metrics.registry.getSingleMetric('datakit_pipeline_compile_error_total')!.get();
    expect(counted.values).toEqual([
      { labels: { category: 'logging', name: 'a.p', namespace: 'default' }, value: 1 },
    ]);
    // Unchanged broken text is not compiled (nor counted) again.
    await s.reload();
    expect(
      (await metrics.registry.getSingleMetric('datakit_pipeline_compile_error_total')!.get()).values[0]!
        .value,
    ).toBe(1);
    i.write('pipeline/a.p', 'add_key(by, "fixed")');
    await s.reload();
    expect(runBy(s, 'a.p')).toBe('fixed');
    expect(s.problems()).toEqual([]);
  });

  it('serves nothing for a new script that does not compile', async () => {
    const i = install();
    i.write('pipeline/a.p', 'if {');
    const s = await open(i);
    expect(s.index.get('logging', 'a.p')).toBeUndefined();
    expect(s.problems()).toEqual([expect.objectContaining({ name: 'a.p', serving: false })]);
  });

  it('stops serving a deleted script and falls back to a shadowed one', async () => {
    const i = install();
    i.write('pipeline/a.p', 'add_key(by, "default")');
    i.write('pipeline_confd/a.p', 'add_key(by, "confd")');
    i.write('pipeline/b.p', 'add_key(by, "b")');
    const s = await open(i);
    expect(runBy(s, 'a.p')).toBe('confd');
    i.remove('pipeline_confd/a.p');
    i.remove('pipeline/b.p');
    await s.reload();
    expect(runBy(s, 'a.p')).toBe('default');
    expect(s.index.get('logging', 'b.p')).toBeUndefined();
  });

  it('swaps the index atomically: a reference taken before a reload stays consistent', async () => {
    const i = install();
    i.write('pipeline/a.p', 'add_key(by, "v1")');
    const s = await open(i);
    const before = s.index;
    i.write('pipeline/a.p', 'add_key(by, "v2")');
    await s.reload();
    expect(before.get('logging', 'a.p')!.source).toContain('v1');
    expect(s.index.get('logging', 'a.p')!.source).toContain('v2');
  });

  it('follows changes on disk by itself when watching (change, break, delete, add)', async () => {
    const i = install();
    i.write('pipeline/a.p', 'add_key(by, "v1")');
    const s = new ScriptStore({
      folders: i.folders,
      registry: testRegistry(),
      watch: { pollIntervalMs: 50, debounceMs: 20 },
    });
    stores.push(s);
    await s.start();
    expect(runBy(s, 'a.p')).toBe('v1');
    i.write('pipeline/a.p', 'add_key(by, "v2")');
    await eventually(() => expect(runBy(s, 'a.p')).toBe('v2'));
    i.write('pipeline/a.p', 'add_key(by, ');
    await eventually(() => expect(s.problems()).toHaveLength(1));
    expect(runBy(s, 'a.p')).toBe('v2');
    i.write('pipeline_confd/metric/new.p', 'add_key(by, "new")');
    await eventually(() => expect(runBy(s, 'new.p', 'metric')).toBe('new'));
    i.remove('pipeline/a.p');
    await eventually(() => expect(s.index.get('logging', 'a.p')).toBeUndefined());
    expect(s.problems()).toEqual([]);
  });

  it('stops cleanly, twice, and without start', async () => {
    const i = install();
    const s = new ScriptStore({ folders: i.folders });
    await s.stop();
    await s.start();
    await s.stop();
    await s.stop();
  });
});
