import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemotePipelines } from '../../src/localdataway/remote-pipelines.js';
import { readCatalog } from '../../src/localdataway/script-catalog.js';
import { ApiError } from '../../src/server/api-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plkit-ldw-scripts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000;
function put(rel: string, text: string, mtime = T0): void {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, mtime, mtime);
}
/** Pin folder mtimes so only file mtimes decide the update time. */
function pinDirs(mtime = T0): void {
  utimesSync(dir, mtime, mtime);
  for (const c of ['logging', 'metric', 'bogus']) {
    try {
      utimesSync(join(dir, c), mtime, mtime);
    } catch {
      // folder absent
    }
  }
}
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('RemotePipelines', () => {
  it('serves scripts with .p names, full category names, base64 text and asDefault', () => {
    put('logging/nginx.p', 'grok(_, "%{IP:ip}")\n');
    put('logging/redis.p', 'drop()\n', T0 + 5);
    put('metric/cpu.p', '# cpu\n');
    put('logging/notes.txt', 'ignored');
    put('bogus/x.p', 'ignored: not a category');
    put('top.p', 'ignored: top level');
    put('defaults.json', JSON.stringify({ logging: 'nginx' }));
    pinDirs();
    const a = new RemotePipelines(dir).answer(0);
    expect(a.update_time).toBe(T0 + 5);
    expect(a.pipelines).toEqual([
      { name: 'nginx.p', base64text: b64('grok(_, "%{IP:ip}")\n'), category: 'logging', asDefault: true },
      { name: 'redis.p', base64text: b64('drop()\n'), category: 'logging', asDefault: false },
      { name: 'cpu.p', base64text: b64('# cpu\n'), category: 'metric', asDefault: false },
    ]);
    expect(a.relation_update_time).toBe(0);
    expect(a.relation).toEqual([]);
  });

  it('answers "nothing changed" when ts equals the update time, and a new time after a change', () => {
    put('logging/a.p', 'x = 1\n');
    pinDirs();
    const rp = new RemotePipelines(dir);
    const first = rp.answer(0);
    expect(first.pipelines).toHaveLength(1);
    const same = rp.answer(first.update_time);
    expect(same).toMatchObject({ update_time: first.update_time, pipelines: [] });
    // Same second, different content: still a new update time.
    put('logging/a.p', 'x = 2\n');
    pinDirs();
    const changed = rp.answer(first.update_time);
    expect(changed.update_time).not.toBe(first.update_time);
    expect(changed.pipelines[0]!.base64text).toBe(b64('x = 2\n'));
    // An older client still gets everything.
    expect(rp.answer(12345).pipelines).toHaveLength(1);
  });

  it('sees a deleted script even when the newest mtime stays', () => {
    put('logging/a.p', 'a\n', T0 + 10);
    put('logging/b.p', 'b\n');
    pinDirs();
    const rp = new RemotePipelines(dir);
    const first = rp.answer(0);
    unlinkSync(join(dir, 'logging/b.p'));
    pinDirs();
    const after = rp.answer(first.update_time);
    expect(after.update_time).not.toBe(first.update_time);
    expect(after.pipelines.map((p) => p.name)).toEqual(['a.p']);
  });

  it('tells a client with scripts to delete them all when the folder is empty', () => {
    const rp = new RemotePipelines(dir);
    expect(rp.answer(0)).toMatchObject({ update_time: 0, pipelines: [] });
    expect(rp.answer(T0)).toMatchObject({ update_time: 1, pipelines: [] });
    put('logging/a.p', 'a\n');
    const back = rp.answer(T0);
    expect(back.update_time).toBeGreaterThan(1);
    expect(back.pipelines).toHaveLength(1);
  });

  it('serves nothing without a folder, and treats a missing folder as empty', () => {
    expect(new RemotePipelines(undefined).answer(5)).toEqual({
      update_time: 0,
      pipelines: [],
      relation_update_time: 0,
      relation: [],
    });
    expect(new RemotePipelines(join(dir, 'nope')).answer(0).update_time).toBe(0);
  });

  it('serves the relation table with its update time, always in full', () => {
    put('logging/nginx.p', 'a\n');
    put(
      'relations.json',
      JSON.stringify([
        { category: 'logging', source: 'nginx-access', name: 'nginx.p' },
        { category: 'logging', source: 'nginx-error', name: 'nginx' },
      ]),
      T0 + 7,
    );
    const rp = new RemotePipelines(dir);
    const a = rp.answer(0);
    expect(a.relation_update_time).toBe(T0 + 7);
    const rel = [
      { category: 'logging', source: 'nginx-access', name: 'nginx.p' },
      { category: 'logging', source: 'nginx-error', name: 'nginx.p' },
    ];
    expect(a.relation).toEqual(rel);
    expect(rp.answer(a.update_time)).toMatchObject({ relation_update_time: T0 + 7, relation: rel });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['relations.json not JSON', { 'relations.json': '[{' }, /relations\.json: invalid JSON/],
    ['relations.json not an array', { 'relations.json': '{}' }, /expected an array/],
    ['relation entry not an object', { 'relations.json': '[1]' }, /entry 0: expected an object/],
    [
      'relation unknown category',
      { 'relations.json': '[{"category":"logs","source":"s","name":"a.p"}]' },
      /entry 0: unknown category "logs"/,
    ],
    ['relation without source', { 'relations.json': '[{"category":"logging","name":"a.p"}]' }, /"source"/],
    ['relation without name', { 'relations.json': '[{"category":"logging","source":"s"}]' }, /"name"/],
    ['defaults.json not JSON', { 'defaults.json': 'nope' }, /defaults\.json: invalid JSON/],
    ['defaults.json an array', { 'defaults.json': '[]' }, /expected an object/],
    ['defaults unknown category', { 'defaults.json': '{"logs":"a.p"}' }, /unknown category "logs"/],
    ['defaults name not a string', { 'defaults.json': '{"logging":1}' }, /logging: expected a script name/],
    [
      'defaults name missing script',
      { 'defaults.json': '{"logging":"zzz.p"}' },
      /logging\/zzz\.p does not exist/,
    ],
  ];
  it.each(bad)('refuses a bad folder: %s', (_, files, msg) => {
    put('logging/a.p', 'a\n');
    for (const [f, text] of Object.entries(files)) put(f, text);
    const res = readCatalog(dir);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(`${res.error.file}: ${res.error.message}`).toMatch(msg);
    let err: unknown;
    try {
      new RemotePipelines(dir).answer(0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(500);
    expect((err as ApiError).code).toBe('invalidRemotePipelines');
    expect((err as ApiError).message).toMatch(msg);
  });
});
