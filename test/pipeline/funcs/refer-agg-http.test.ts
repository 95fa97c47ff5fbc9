/**
 * query_refer_table / mquery_refer_table with DataKit's test tables and
 * expectations, agg_create / agg_metric into a collecting sink, and
 * http_request against a local server thread: results, argument rules,
 * compile errors, and the run error when the service is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggService } from '../../../src/pipeline/services/aggregation.js';
import { HttpRequestService } from '../../../src/pipeline/services/http-request.js';
import { ReferTables } from '../../../src/pipeline/services/refer-tables.js';
import type { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { DATAKIT_TABLES } from '../../support/refer-table-fixture.js';
import { startThreadHttpServer, type ThreadHttpServer } from '../../support/thread-http-server.js';
import { compileError, run } from './script-harness.js';

const tables = { referTables: ReferTables.fromData(DATAKIT_TABLES) };
const FOUND_A = { key1: { s: 'a' }, key2: { f: 123 }, f1: { i: '123' }, f2: { b: false } };

describe('query_refer_table (DataKit TestQueryReferTable)', () => {
  it.each([
    ['add_key(f1, 123)\nquery_refer_table("table1", key = "f1", value= f1)', FOUND_A],
    ['add_key(f1, 123)\nmquery_refer_table("table1", ["f1"], values= [f1])', FOUND_A],
    ['query_refer_table("table1", "f1", 123)', FOUND_A],
    ['query_refer_table("table1", "key1", "a")', FOUND_A],
    ['t = "table1"\nk = "key1"\nv = "a"\nquery_refer_table(t, k, v)', FOUND_A],
    ['query_refer_table("table1", "key2", 123.)', FOUND_A],
    ['query_refer_table("table1", "f2", false)', FOUND_A],
    [
      'key = "f2"\nvalue = "ab"\nmquery_refer_table("table1", ["key1", key], [value, false])',
      { key1: { s: 'ab' }, key2: { f: 1234 }, f1: { i: '123' }, f2: { b: false } },
    ],
    ['query_refer_table("table1", "key2", 123)', {}],
    ['query_refer_table("table1", "f1", f1)', {}],
    ['query_refer_table("nope", "key1", "a")', {}],
  ])('%s', (src, want) => {
    const r = run(src, [], { services: tables });
    expect(r.error).toBeUndefined();
    expect(r.fields).toEqual(want);
  });

  it('keeps tags tags and overwrites fields', () => {
    const r = run('query_refer_table("table1", "key1", "a")', [['f1', 'old']], {
      services: tables,
      tags: [['key1', 'x']],
    });
    expect(r.tags.key1).toBe('a');
    expect(r.fields.f1).toEqual({ i: '123' });
  });

  it('takes a list of values from a variable in mquery_refer_table', () => {
    const r = run('vals = ["ab", true]\nmquery_refer_table("table1", ["key1", "f2"], vals)', [], {
      services: tables,
    });
    expect(r.fields.f2).toEqual({ b: true });
  });

  it.each([
    ['query_refer_table(t, "key1", "a")', /param expect string/],
    ['k = 1\nquery_refer_table("table1", k, "a")', /unsupported column name value type/],
    ['query_refer_table("table1", nope, "a")', /not found/],
    ['mquery_refer_table(table, ["key1"], ["a"])', /param expect string/],
    ['mquery_refer_table("table1", [nope], ["a"])', /not found/],
    ['mquery_refer_table("table1", ["key1"], [nope])', /not found/],
    ['v = "x"\nmquery_refer_table("table1", ["key1"], v)', /unsupported column value type/],
    ['k = 1\nmquery_refer_table("table1", k, ["a"])', /unsupported column name value type/],
  ])('fails the run for %s', (src, re) => {
    expect(run(src, [], { services: tables }).error).toMatch(re);
  });

  it.each(['query_refer_table("t", "k", "v")', 'mquery_refer_table("t", ["k"], ["v"])'])(
    'fails %s without reference tables',
    (src) => {
      expect(run(src).error).toMatch(/no reference tables are configured/);
    },
  );

  it.each([
    ['query_refer_table("t", 1, "v")', /param key expects StringLiteral, Identifier or AttrExpr/],
    ['query_refer_table("t", "k", [1])', /param key expects StringLiteral, NumberLiteral/],
    ['query_refer_table(1, "k", "v")', /param key expect/],
    ['mquery_refer_table("t", "k", ["v"])', /expects FuncArgList, Identifier or AttrExpr/],
    ['mquery_refer_table("t", [1], ["v"])', /in FuncArgList/],
    ['mquery_refer_table("t", ["k"], [[1]])', /in FuncArgList/],
    ['mquery_refer_table("t", ["k"], "v")', /param key expects/],
    ['query_refer_table("t", "k")', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});

describe('agg_create / agg_metric', () => {
  function aggWith() {
    const flushed: Point[] = [];
    const agg = new AggService({ sink: (_c, _b, pts) => flushed.push(...pts), now: () => 7n });
    return { flushed, services: { agg } };
  }

  it('aggregates fields of points by tags', () => {
    const { flushed, services } = aggWith();
    const src =
      'agg_create("cpu_agg", on_interval="10s", const_tags={"tag1":"const", "n": 1})\n' +
      'agg_metric("cpu_agg", "total", "sum", ["host"], "v")\n' +
      'agg_metric("cpu_agg", "avg_v", "avg", ["host"], "v")';
    for (const [host, v] of [
      ['a', 1n],
      ['a', 3n],
      ['b', 10n],
    ] as const) {
      expect(run(src, [['v', v]], { services, tags: [['host', host]] }).error).toBeUndefined();
    }
    services.agg.stop();
    expect(flushed.map((p) => toTyped(p))).toEqual([
      {
        name: 'cpu_agg',
        time_ns: '7',
        tags: { tag1: 'const', host: 'a' },
        fields: { total: { f: 4 }, avg_v: { f: 2 } },
      },
      {
        name: 'cpu_agg',
        time_ns: '7',
        tags: { tag1: 'const', host: 'b' },
        fields: { total: { f: 10 }, avg_v: { f: 10 } },
      },
    ]);
  });

  it('reads agg_by keys and the field from variables too, and skips non-string tags', () => {
    const { flushed, services } = aggWith();
    const src = 'agg_create("b", on_count=1)\nt = "x"\nf = 2.5\nagg_metric("b", "m", "max", ["t"], "f")';
    run(src, [], { services });
    run('agg_create("b", on_count=1)\nt = 1\nf = 2.5\nagg_metric("b", "m", "max", ["t"], "f")', [], {
      services,
    });
    run('agg_create("b", on_count=1)\nt = "x"\nagg_metric("b", "m", "max", ["t"], "nope")', [], { services });
    expect(flushed.map((p) => toTyped(p))).toEqual([
      { name: 'b', time_ns: '7', tags: { t: 'x' }, fields: { m: { f: 2.5 } } },
    ]);
  });

  it('uses the category given, and does nothing for an unknown one', () => {
    const { services } = aggWith();
    run('agg_create("l", category="L")\nagg_create("u", category="nope")', [], { services });
    expect(services.agg.hasBucket('logging', 'l')).toBe(true);
    expect(services.agg.hasBucket('metric', 'u')).toBe(false);
    expect(run('agg_create("x", category=1)', [], { services }).error).toMatch(/type of parameter/);
  });

  it('does nothing for a bucket that does not exist', () => {
    const { flushed, services } = aggWith();
    expect(
      run('agg_metric("none", "m", "sum", ["host"], "v")', [['v', 1n]], { services, tags: [['host', 'a']] })
        .error,
    ).toBe(undefined);
    services.agg.stop();
    expect(flushed).toEqual([]);
  });

  it.each(['agg_create("b")', 'agg_metric("b", "m", "sum", ["t"], "f")'])(
    'fails %s without the service',
    (src) => {
      expect(run(src).error).toMatch(/aggregation service is not available/);
    },
  );

  it.each([
    ['agg_create(b)', /param `bucket` expect StringLiteral/],
    ['agg_create("b", on_interval=10)', /param `on_interval` expect StringLiteral/],
    ['agg_create("b", on_interval="10x")', /parse on_interval/],
    ['agg_create("b", on_count="1")', /param `on_count` expect IntegerLiteral/],
    ['agg_create("b", on_interval="0s")', /cannot be less than or equal to 0 at the same time/],
    ['agg_create("b", keep_value=1)', /param `keep_value` expect BoolLiteral/],
    ['agg_metric("b", "m", "sum", "t", "f")', /param `agg_by` expect/],
    ['agg_metric("b", "m", "sum", [t], "f")', /agg_by elem expect StringLiteral/],
    ['agg_metric("b", "m", "sum", [], "f")', /size of param `agg_by` is 0/],
    ['agg_metric("b", "m", "sum", ["t"], f)', /param `agg_field` expect StringLiteral/],
    ['agg_metric("b", m, "sum", ["t"], "f")', /param `new_field` expect StringLiteral/],
    ['agg_metric("b", "m", fn, ["t"], "f")', /param `agg_fn` expect StringLiteral/],
    ['agg_metric("b", "m", "sum", ["t"])', /missing required parameter/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });

  it('accepts on_count alone with a zero interval', () => {
    expect(compileError('agg_create("b", on_interval="0s", on_count=5)')).toBeNull();
  });
});

describe('http_request', () => {
  let server: ThreadHttpServer;
  let services: { httpRequest: HttpRequestService };

  beforeAll(async () => {
    server = await startThreadHttpServer();
    services = { httpRequest: new HttpRequestService({ cidrAllowList: ['127.0.0.1/32'], timeoutMs: 2000 }) };
  });

  afterAll(async () => {
    await services.httpRequest.close();
    await server.close();
  });

  it('answers status_code and body (the DataKit doc example against a local server)', () => {
    const src = `resp = http_request("GET", "${server.url('/json')}")\nresp_body = load_json(resp["body"])\nadd_key(code, resp["status_code"])\nadd_key(abc, resp_body["a"])`;
    const r = run(src, [], { services });
    expect(r.error).toBeUndefined();
    expect(r.fields.code).toEqual({ i: '200' });
    expect(r.fields.abc).toEqual({ s: '1' });
  });

  it('sends headers and a JSON body, and names the answer keys with a prefix', () => {
    const src = `resp = http_request("POST", "${server.url('/echo')}", {"X-A": "1", "X-N": 2}, {"b": [1, "x"]}, "r_")\necho = load_json(resp["r_body"])\nadd_key(m, echo["method"])\nadd_key(body, echo["body"])\nadd_key(xa, echo["headers"]["x-a"])\nadd_key(xn, echo["headers"]["x-n"])\nadd_key(code, resp["r_status_code"])`;
    const r = run(src, [], { services });
    expect(r.error).toBeUndefined();
    expect(r.fields).toMatchObject({
      m: { s: 'POST' },
      body: { s: '{"b":[1,"x"]}' },
      xa: { s: '1' },
      xn: { n: null },
      code: { i: '200' },
    });
  });

  it.each([
    ['1.5', '1.5'],
    ['12', '12'],
    ['true', 'true'],
    ['"text"', 'text'],
  ])('sends the body %s as %s', (body, want) => {
    const src = `resp = http_request("POST", "${server.url('/echo')}", {}, ${body})\nadd_key(b, load_json(resp["body"])["body"])`;
    expect(run(src, [], { services }).fields.b).toEqual({ s: want });
  });

  it('answers nil for a refused or failed request (DataKit TestHTTPRequest)', () => {
    for (const url of ['file:///etc/', 'http://169.254.169.254/', 'http://127.0.0.1:1/']) {
      const r = run(
        `resp = http_request("POST", "${url}", {"extraHeader": "1"}, {"a": "1"})\nadd_key(abc, resp)`,
        [],
        {
          services,
        },
      );
      expect(r.error).toBeUndefined();
      expect(r.fields.abc).toEqual({ n: null });
    }
  });

  it.each([
    ['http_request(1, "http://x/")', /expect string/],
    ['http_request("GET", 1)', /expect string/],
    ['http_request("GET", "http://127.0.0.1:1/", "h")', /expect map/],
    ['p = 1\nhttp_request("GET", "http://x/", {}, nil, p)', /expect string/],
  ])('fails the run for %s', (src, re) => {
    expect(run(src, [], { services }).error).toMatch(re);
  });

  it('fails the run when http_request is not enabled', () => {
    expect(run('http_request("GET", "http://example.com/")').error).toMatch(/http_request is disabled/);
  });

  it.each([
    ['http_request("GET")', /missing required parameter/],
    ['http_request("GET", "u", {}, nil, [1])', /expect StringLiteral or Identifier or AttrExpr/],
  ])('compile error %s', (src, re) => {
    expect(compileError(src)).toMatch(re);
  });
});
