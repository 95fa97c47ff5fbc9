import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../../src/common/http-client.js';
import { Metrics } from '../../../src/common/metrics.js';
import { DatawayEndpoint } from '../../../src/dataway/endpoint.js';
import { LocalDataway } from '../../../src/localdataway/server.js';
import { ScriptPipelineStage } from '../../../src/pipeline/scripts/pipeline-stage.js';
import { RemotePuller } from '../../../src/pipeline/scripts/remote-puller.js';
import { STATE_FILE } from '../../../src/pipeline/scripts/remote-state.js';
import { ScriptStore } from '../../../src/pipeline/scripts/script-store.js';
import { eventually, type Install, logPoint, makeInstall, testRegistry } from './fixtures.js';

const TOKEN = 'tkn_test';
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

class RecordingClient extends HttpClient {
  readonly urls: string[] = [];
  override send(req: HttpRequest): Promise<HttpResponse> {
    this.urls.push(req.url);
    return super.send(req);
  }
}

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

async function localDataway(i: Install) {
  const scripts = join(i.root, 'dw-scripts');
  mkdirSync(scripts, { recursive: true });
  const dw = new LocalDataway({
    listen: '127.0.0.1:0',
    dbPath: ':memory:',
    scriptsDir: scripts,
    token: TOKEN,
  });
  const { url } = await dw.start();
  let stopped = false;
  const stop = async () => {
    if (!stopped) await dw.stop();
    stopped = true;
  };
  cleanup.push(stop);
  const put = (rel: string, text: string) => {
    mkdirSync(join(scripts, rel, '..'), { recursive: true });
    writeFileSync(join(scripts, rel), text);
  };
  return { url, scripts, put, stop, del: (rel: string) => rmSync(join(scripts, rel), { force: true }) };
}

/** A DataWay stand-in answering each pull from `answers` in turn (the last one repeats). */
async function fakeDataway(answers: { status?: number; body: string }[]) {
  let n = 0;
  const server: Server = createServer((_req, res) => {
    const a = answers[Math.min(n++, answers.length - 1)]!;
    res.writeHead(a.status ?? 200, { 'Content-Type': 'application/json' });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n };
}

async function agent(
  i: Install,
  url: string | null,
  extra: { retryInitialMs?: number; token?: string } = {},
) {
  const store = new ScriptStore({ folders: i.folders, registry: testRegistry(), watch: false });
  await store.start();
  const http = new RecordingClient({ timeoutMs: 2000 });
  const metrics = new Metrics();
  const puller = new RemotePuller({
    store,
    endpoint: url === null ? null : new DatawayEndpoint(`${url}?token=${extra.token ?? TOKEN}`),
    http,
    intervalMs: 60_000,
    retryInitialMs: extra.retryInitialMs,
    metrics,
  });
  cleanup.push(
    () => http.close(),
    () => store.stop(),
    () => puller.stop(),
  );
  return { store, http, puller, metrics, stage: new ScriptPipelineStage({ store }) };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const answer = (rp: unknown) => JSON.stringify({ remote_pipelines: rp });

function selectedNs(stage: ScriptPipelineStage, name: string): string | null {
  const pt = logPoint(name);
  const r = stage.process('logging', [pt], {}, { splitOffload: true });
  if (r.offload.length > 0) return 'remote (offloaded)';
  const by = pt.fields.get('by');
  return typeof by === 'string' ? by : null;
}

describe('RemotePuller against the local DataWay', () => {
  it('pulls scripts, defaults and relations, persists them, and selection sees them as remote', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await localDataway(i);
    dw.put('logging/nginx.p', 'add_key(by, "remote nginx")');
    dw.put('logging/fallback.p', 'add_key(by, "remote default")');
    dw.put('metric/cpu.p', 'add_key(by, "remote cpu")');
    dw.put('defaults.json', JSON.stringify({ logging: 'fallback.p' }));
    dw.put('relations.json', JSON.stringify([{ category: 'logging', source: 'web', name: 'nginx.p' }]));
    i.write('pipeline/nginx.p', 'add_key(by, "local nginx")');

    const { store, http, puller, stage, metrics } = await agent(i, dw.url);
    expect(selectedNs(stage, 'nginx')).toBe('local nginx');
    const r = await puller.pullNow();
    expect(r).toEqual({ ok: true, scriptsChanged: true, relationsChanged: true });
    expect(query(http.urls[0]!)).toEqual({
      token: TOKEN,
      remote_pipelines: 'true',
      ts: '0',
      relation_ts: '0',
    });

    expect(readFileSync(join(i.folders.remote, 'logging', 'nginx.p'), 'utf8')).toBe(
      'add_key(by, "remote nginx")',
    );
    expect(existsSync(join(i.folders.remote, 'metric', 'cpu.p'))).toBe(true);
    const state = JSON.parse(readFileSync(join(i.folders.remote, STATE_FILE), 'utf8'));
    expect(state).toMatchObject({
      version: 1,
      relation: [{ category: 'logging', source: 'web', name: 'nginx.p' }],
      defaults: { logging: 'fallback.p' },
    });
    expect(state.update_time).toBeGreaterThan(1);
    expect(JSON.stringify(state)).not.toContain(TOKEN);

    expect(store.index.get('logging', 'nginx.p')!.ns).toBe('remote');
    expect(selectedNs(stage, 'nginx')).toBe('remote (offloaded)');
    // relation: web → nginx.p; default: anything else → fallback.p (both remote)
    const web = logPoint('web');
    const other = logPoint('other');
    stage.process('logging', [web, other], {}, { splitOffload: false });
    expect(web.fields.get('by')).toBe('remote nginx');
    expect(other.fields.get('by')).toBe('remote default');

    // The next pull sends what was applied and changes nothing.
    const mtime = statSync(join(i.folders.remote, STATE_FILE)).mtimeMs;
    expect(await puller.pullNow()).toEqual({ ok: true, scriptsChanged: false, relationsChanged: false });
    expect(query(http.urls[1]!)).toMatchObject({
      ts: String(state.update_time),
      relation_ts: String(state.relation_update_time),
    });
    expect(statSync(join(i.folders.remote, STATE_FILE)).mtimeMs).toBe(mtime);
    const pulls = (await metrics.registry.getSingleMetric('datakit_pipeline_remote_pull_total')!.get())
      .values;
    expect(pulls).toEqual([{ labels: { result: 'ok' }, value: 2 }]);
  });

  it('follows changes, deletions and "delete all" on the DataWay side', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await localDataway(i);
    dw.put('logging/a.p', 'add_key(by, "a1")');
    dw.put('logging/b.p', 'add_key(by, "b1")');
    const { store, puller } = await agent(i, dw.url);
    await puller.pullNow();
    dw.put('logging/a.p', 'add_key(by, "a2")');
    dw.del('logging/b.p');
    expect(await puller.pullNow()).toMatchObject({ ok: true, scriptsChanged: true });
    expect(store.index.get('logging', 'a.p')!.source).toBe('add_key(by, "a2")');
    expect(store.index.get('logging', 'b.p')).toBeUndefined();
    expect(existsSync(join(i.folders.remote, 'logging', 'b.p'))).toBe(false);
    dw.del('logging/a.p');
    expect(await puller.pullNow()).toMatchObject({ ok: true, scriptsChanged: true });
    expect(store.index.namespace('remote').size).toBe(0);
    expect(existsSync(join(i.folders.remote, 'logging', 'a.p'))).toBe(false);
    // "delete all" repeats while the folder stays empty; nothing more to do.
    expect(await puller.pullNow()).toMatchObject({ ok: true, scriptsChanged: false });
  });

  it('serves the same remote scripts and routing after a restart with DataWay gone', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await localDataway(i);
    dw.put('logging/nginx.p', 'add_key(by, "remote nginx")');
    dw.put('relations.json', JSON.stringify([{ category: 'logging', source: 'web', name: 'nginx.p' }]));
    const first = await agent(i, dw.url);
    await first.puller.pullNow();
    await first.puller.stop();
    await first.store.stop();
    await dw.stop();

    const second = await agent(i, dw.url, { retryInitialMs: 10 });
    await second.puller.start();
    const web = logPoint('web');
    second.stage.process('logging', [web], {}, { splitOffload: false });
    expect(web.fields.get('by')).toBe('remote nginx');
    expect(second.store.index.get('logging', 'nginx.p')!.ns).toBe('remote');
    await eventually(() =>
      expect(second.puller.lastError).toMatch(/ECONNREFUSED|connect|fetch failed|other side closed/i),
    );
    expect(second.http.urls.length).toBeGreaterThanOrEqual(1);
    expect(second.store.index.get('logging', 'nginx.p')).toBeDefined();
    expect(second.puller.state.relations).toEqual([{ category: 'logging', source: 'web', name: 'nginx.p' }]);
  });

  it('keeps what it has when the DataWay answers an error', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await localDataway(i);
    dw.put('logging/a.p', 'add_key(by, "a")');
    const { store, puller } = await agent(i, dw.url);
    await puller.pullNow();
    dw.put('relations.json', '{broken');
    dw.put('logging/a.p', 'add_key(by, "changed")');
    const r = await puller.pullNow();
    expect(r).toMatchObject({ ok: false, kind: 'status' });
    expect(puller.lastError).toContain('500');
    expect(store.index.get('logging', 'a.p')!.source).toBe('add_key(by, "a")');
  });
});

describe('RemotePuller against a misbehaving DataWay', () => {
  const good = answer({
    update_time: 100,
    pipelines: [{ name: 'a.p', base64text: b64('add_key(by, "a")'), category: 'logging', asDefault: true }],
    relation_update_time: 7,
    relation: [{ category: 'logging', source: 'web', name: 'a.p' }],
  });

  it.each<[string, { status?: number; body: string }, string]>([
    ['not JSON', { body: '<html>oops' }, 'malformed'],
    ['wrong shape', { body: answer({ update_time: 'soon' }) }, 'malformed'],
    [
      'a script escaping its folder',
      {
        body: answer({
          update_time: 200,
          pipelines: [{ name: '../../evil.p', base64text: b64('x=1'), category: 'logging' }],
        }),
      },
      'malformed',
    ],
    [
      'bad base64',
      {
        body: answer({
          update_time: 200,
          pipelines: [{ name: 'b.p', base64text: '***', category: 'logging' }],
        }),
      },
      'malformed',
    ],
    ['HTTP 503', { status: 503, body: '{}' }, 'status'],
  ])('changes nothing on %s', async (_label, bad, kind) => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await fakeDataway([{ body: good }, bad]);
    const { store, puller } = await agent(i, dw.url);
    expect(await puller.pullNow()).toMatchObject({ ok: true });
    const stateBefore = readFileSync(join(i.folders.remote, STATE_FILE), 'utf8');
    const r = await puller.pullNow();
    expect(r).toMatchObject({ ok: false, kind });
    expect(puller.lastError).not.toBeNull();
    expect(readFileSync(join(i.folders.remote, STATE_FILE), 'utf8')).toBe(stateBefore);
    expect(store.index.get('logging', 'a.p')!.source).toBe('add_key(by, "a")');
    expect(store.routing.relation('logging', 'web')).toBe('a.p');
    expect(store.routing.defaultFor('logging')).toBe('a.p');
    expect(existsSync(join(i.root, 'evil.p'))).toBe(false);
    expect(existsSync(join(i.folders.remote, '..', 'evil.p'))).toBe(false);
  });

  it('retries with back-off after failures, then pulls on the interval', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await fakeDataway([
      { status: 502, body: 'bad gateway' },
      { status: 502, body: 'bad gateway' },
      { body: good },
    ]);
    const { store, puller } = await agent(i, dw.url, { retryInitialMs: 20 });
    const t0 = Date.now();
    await puller.start();
    await eventually(() => expect(store.index.get('logging', 'a.p')).toBeDefined());
    expect(dw.count()).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55); // 20 ms then 40 ms
    expect(puller.lastError).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(dw.count()).toBe(3); // next pull waits for the interval
  });

  it('keeps relations when relation_update_time is -1', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await fakeDataway([
      { body: good },
      { body: answer({ update_time: 100, relation_update_time: -1 }) },
    ]);
    const { store, puller } = await agent(i, dw.url);
    await puller.pullNow();
    expect(await puller.pullNow()).toEqual({ ok: true, scriptsChanged: false, relationsChanged: false });
    expect(store.routing.relation('logging', 'web')).toBe('a.p');
  });

  it('wipes the scripts of another workspace before pulling', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await fakeDataway([{ body: good }, { body: answer({ update_time: 0 }) }]);
    const first = await agent(i, dw.url);
    await first.puller.pullNow();
    await first.puller.stop();
    const second = await agent(i, dw.url, { token: 'tkn_other' });
    expect(second.store.index.get('logging', 'a.p')).toBeDefined();
    await second.puller.start();
    await second.puller.stop();
    expect(second.store.index.get('logging', 'a.p')).toBeUndefined();
    expect(existsSync(join(i.folders.remote, 'logging', 'a.p'))).toBe(false);
    expect(second.store.routing.relation('logging', 'web')).toBeUndefined();
  });

  it('restores persisted routing without an endpoint and never pulls', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    const dw = await fakeDataway([{ body: good }]);
    const first = await agent(i, dw.url);
    await first.puller.pullNow();
    const second = await agent(i, null);
    await second.puller.start();
    expect(second.store.routing.relation('logging', 'web')).toBe('a.p');
    expect(second.store.routing.defaultFor('logging')).toBe('a.p');
    expect(await second.puller.pullNow()).toMatchObject({ ok: false });
    expect(second.http.urls).toEqual([]);
  });

  it('starts empty when the state file is broken', async () => {
    const i = makeInstall();
    cleanup.push(() => i.cleanup());
    i.write(`pipeline_remote/${STATE_FILE}`, '{nope');
    const a = await agent(i, null);
    await a.puller.start();
    expect(a.puller.state.relations).toEqual([]);
  });
});
