/**
 * createPipelineServices from a real configuration (datakit.conf in a
 * temporary install with a generated GeoLite2 file), and the whole set in
 * use: scripts from a ScriptStore run by the pipeline stage with every
 * tier-3 function against real local resources (a reference-table
 * server, an http_request server thread), point windows settled by the
 * stage, aggregation flushed to the sink on stop.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/common/http-client.js';
import { loadConfig } from '../../../src/config/index.js';
import { defaultRegistry } from '../../../src/pipeline/index.js';
import { namespaceFolders } from '../../../src/pipeline/scripts/namespaces.js';
import { ScriptPipelineStage } from '../../../src/pipeline/scripts/pipeline-stage.js';
import { ScriptStore } from '../../../src/pipeline/scripts/script-store.js';
import {
  createPipelineServices,
  GEOLITE2_DIR,
  type PipelineServiceSet,
} from '../../../src/pipeline/services/index.js';
import type { Category } from '../../../src/point/category.js';
import { Point } from '../../../src/point/point.js';
import { testCityDb } from '../../support/geo-test-db.js';
import { DATAKIT_TABLES } from '../../support/refer-table-fixture.js';
import { startThreadHttpServer, type ThreadHttpServer } from '../../support/thread-http-server.js';

const roots: string[] = [];
let tableServer: Server;
let tableUrl = '';
let api: ThreadHttpServer;
const http = new HttpClient({ timeoutMs: 2000 });

beforeAll(async () => {
  tableServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(DATAKIT_TABLES));
  });
  await new Promise<void>((r) => tableServer.listen(0, '127.0.0.1', r));
  tableUrl = `http://127.0.0.1:${(tableServer.address() as AddressInfo).port}/tables`;
  api = await startThreadHttpServer();
});

afterAll(async () => {
  await http.close();
  await api.close();
  await new Promise((r) => tableServer.close(r));
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function install(conf: string, withGeo = true) {
  const root = mkdtempSync(join(tmpdir(), 'plkit-services-'));
  roots.push(root);
  mkdirSync(join(root, 'conf.d'), { recursive: true });
  writeFileSync(join(root, 'conf.d', 'datakit.conf'), conf);
  if (withGeo) {
    const dir = join(root, 'data', GEOLITE2_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'GeoLite2-City.mmdb'), testCityDb());
  }
  const { config, errors } = loadConfig({ workdir: root, env: {} });
  expect(errors).toEqual([]);
  return { root, config };
}

function collector() {
  const got: { category: Category; bucket: string; points: Point[] }[] = [];
  return {
    got,
    sink: (category: Category, bucket: string, points: Point[]) => got.push({ category, bucket, points }),
  };
}

describe('createPipelineServices', () => {
  it('builds only the always-on services from a default configuration', async () => {
    const { config } = install('', false);
    const set = createPipelineServices(config, { http, aggSink: () => {} });
    expect(Object.keys(set.services).sort()).toEqual(['agg', 'cache', 'pointWindows']);
    expect([set.geoip, set.referTables, set.httpRequest]).toEqual([null, null, null]);
    expect(set.problems).toEqual([]);
    expect(Object.isFrozen(set.services)).toBe(true);
    await set.stop();
    await set.stop();
  });

  it('builds geoip, reference tables and http_request from datakit.conf', async () => {
    const { config } = install(
      `[pipeline]\nipdb_type = "geolite2"\nrefer_table_url = "${tableUrl}"\nhttp_request_enabled = true\nhttp_request_cidr_whitelist = ["127.0.0.1/32", "bogus"]\n`,
    );
    const set = createPipelineServices(config, { http, aggSink: () => {} });
    expect(Object.keys(set.services).sort()).toEqual([
      'agg',
      'cache',
      'geoip',
      'httpRequest',
      'pointWindows',
      'referTables',
    ]);
    expect(set.geoip?.lookup('81.2.69.1')?.city).toBe('London');
    expect(set.problems).toEqual(['http_request CIDR allow-list: "bogus" is not a CIDR, ignored']);
    set.start();
    expect(await set.referTables!.ready(2000)).toBe(true);
    await set.stop();
  });

  it('reports a geoip database that does not open, and leaves geoip out', async () => {
    const { config } = install(
      '[pipeline]\nipdb_type = "geolite2"\n[pipeline.ipdb_attr]\ngeoip_file = "other.mmdb"\n',
    );
    const set = createPipelineServices(config, { http, aggSink: () => {} });
    expect(set.geoip).toBeNull();
    expect(set.problems[0]).toMatch(/other\.mmdb.*geoip\(\) will fail its runs/);
    await set.stop();
  });

  it('reports a reference-table URL it cannot use', async () => {
    const { config } = install('[pipeline]\nrefer_table_url = "ftp://x/t"\n', false);
    const set = createPipelineServices(config, { http, aggSink: () => {} });
    expect(set.referTables).toBeNull();
    expect(set.problems).toEqual(['refer_table_url: refer_table_url: unsupported scheme ftp']);
    await set.stop();
  });
});

describe('the service set in the pipeline stage', () => {
  let set: PipelineServiceSet;
  let store: ScriptStore;
  let stage: ScriptPipelineStage;
  const sink = collector();

  beforeAll(async () => {
    const { root, config } = install(
      `[pipeline]\nipdb_type = "geolite2"\nrefer_table_url = "${tableUrl}"\nhttp_request_enabled = true\nhttp_request_cidr_whitelist = ["127.0.0.1/32"]\n`,
    );
    set = createPipelineServices(config, { http, aggSink: sink.sink, globalTags: { host: 'agent-1' } });
    set.start();
    await set.referTables!.ready(2000);
    const scripts: Record<string, string> = {
      'enrich.p': [
        'geoip(ip)',
        'query_refer_table("table1", "key1", k)',
        'if cache_get("seen") == nil { cache_set("seen", "first"); add_key(first, true) }',
        `resp = http_request("GET", "${api.url('/json')}")`,
        'add_key(api_a, load_json(resp["body"])["a"])',
        'agg_create("per_country", on_interval="1h")',
        'agg_metric("per_country", "n", "sum", ["country"], "one")',
      ].join('\n'),
      'panic.p':
        'point_window(2, 2)\nif message == "panic" { window_hit() }\nif message != "panic" { drop() }',
    };
    for (const [name, text] of Object.entries(scripts)) {
      mkdirSync(join(root, 'pipeline'), { recursive: true });
      writeFileSync(join(root, 'pipeline', name), text);
    }
    store = new ScriptStore({
      folders: namespaceFolders(config.paths),
      registry: defaultRegistry(),
      watch: false,
      services: set.services,
    });
    await store.start();
    stage = new ScriptPipelineStage({ store, pointWindows: set.pointWindows });
  });

  afterAll(async () => {
    await store.stop();
    await set.stop();
  });

  it('enriches points with every service', () => {
    const pt = (ip: string) =>
      new Point(
        'enrich',
        new Map(),
        new Map<string, never>([
          ['ip', ip as never],
          ['k', 'a' as never],
          ['one', 1n as never],
        ]),
        1n,
      );
    const a = pt('81.2.69.142');
    const b = pt('175.16.199.9');
    const r = stage.process('logging', [a, b], {}, { splitOffload: false });
    expect(r.kept).toEqual([a, b]);
    expect(Object.fromEntries(a.fields)).toMatchObject({
      city: 'London',
      country: 'GB',
      key1: 'a',
      key2: 123,
      f1: 123n,
      first: true,
      api_a: '1',
    });
    expect(b.fields.get('first')).toBeUndefined();
    expect(b.fields.get('country')).toBe('CN');
  });

  it('lets the stage release the points a window held', () => {
    const msgs = ['a', 'b', 'c', 'panic', 'd', 'e'];
    const pts = msgs.map(
      (m) =>
        new Point(
          'panic',
          new Map([
            ['host', 'h'],
            ['filepath', '/f'],
          ]),
          new Map([['message', m]]),
          1n,
        ),
    );
    const r = stage.process('logging', pts, {}, { splitOffload: false });
    expect(r.kept.map((p) => p.fields.get('message'))).toEqual(['panic', 'b', 'c', 'd']);
  });

  it('flushes the aggregation to the sink on stop', async () => {
    await set.stop();
    expect(sink.got).toHaveLength(1);
    const byCountry = Object.fromEntries(sink.got[0]!.points.map((p) => [p.tags.get('country'), p]));
    expect(byCountry.GB!.fields.get('n')).toBe(1);
    expect(byCountry.CN!.tags.get('host')).toBe('agent-1');
    expect(sink.got[0]!.category).toBe('metric');
  });
});
