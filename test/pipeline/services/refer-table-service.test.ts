/**
 * ReferTableService against a local HTTP server through the agent's
 * HttpClient: first pull at start, refresh on the interval, retries of
 * 5xx, and a bad document or status that keeps the previous tables.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/common/http-client.js';
import { ReferTableService } from '../../../src/pipeline/services/refer-table-service.js';

const table = (value: string) =>
  JSON.stringify([
    { table_name: 't', column_name: ['k', 'v'], column_type: ['string', 'string'], row_data: [['a', value]] },
  ]);

/** What the server answers next: a queue of [status, body]; the last one repeats. */
let answers: [number, string][] = [];
let requests = 0;
let server: Server;
let base = '';
const http = new HttpClient({ timeoutMs: 2000 });

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    const [status, body] = answers.length > 1 ? answers.shift()! : answers[0]!;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  await new Promise((r) => server.close(r));
});

function service(intervalMs = 60_000) {
  return new ReferTableService({
    url: `${base}/tables?token=tkn_x`,
    intervalMs,
    http,
    retryDelaysMs: [10, 10],
  });
}

const tableValue = (s: ReferTableService) => s.query('t', ['k'], ['a'])?.get('v') ?? null;

describe('ReferTableService', () => {
  it('loads the tables at start and is ready', async () => {
    answers = [[200, table('one')]];
    const s = service();
    expect(tableValue(s)).toBeNull();
    s.start();
    expect(await s.ready(2000)).toBe(true);
    expect(tableValue(s)).toBe('one');
    expect(s.lastError).toBeNull();
    expect(s.lastUpdate).toBeGreaterThan(0);
    await s.stop();
  });

  it('refreshes on its interval (at least 1 s)', async () => {
    answers = [
      [200, table('one')],
      [200, table('two')],
    ];
    const s = service(10);
    s.start();
    await s.ready(2000);
    expect(tableValue(s)).toBe('one');
    await new Promise((r) => setTimeout(r, 1300));
    expect(tableValue(s)).toBe('two');
    await s.stop();
  });

  it('retries 5xx answers', async () => {
    answers = [
      [503, 'busy'],
      [500, 'oops'],
      [200, table('after retries')],
    ];
    requests = 0;
    const s = service();
    expect(await s.pullNow()).toBe(true);
    expect(requests).toBe(3);
    expect(tableValue(s)).toBe('after retries');
  });

  it('gives up after its retries and keeps what it had', async () => {
    answers = [[200, table('kept')]];
    const s = service();
    await s.pullNow();
    answers = [[502, 'down']];
    requests = 0;
    expect(await s.pullNow()).toBe(false);
    expect(requests).toBe(3);
    expect(s.lastError).toBe('status 502');
    expect(tableValue(s)).toBe('kept');
  });

  it.each([
    [404, 'missing', 'status 404', 1],
    [200, '{"not": "a list"}', 'expected an array of tables, got object', 1],
    [
      200,
      '[{"table_name": "t", "column_name": ["a"], "column_type": ["nope"]}]',
      'unsupported column type',
      1,
    ],
  ])('keeps the previous tables on %d %s', async (status, body, err, n) => {
    answers = [[200, table('kept')]];
    const s = service();
    await s.pullNow();
    answers = [[status, body]];
    requests = 0;
    expect(await s.pullNow()).toBe(false);
    expect(requests).toBe(n);
    expect(s.lastError).toContain(err);
    expect(tableValue(s)).toBe('kept');
  });

  it('reports a transport failure', async () => {
    const s = new ReferTableService({
      url: 'http://127.0.0.1:1/t',
      intervalMs: 1000,
      http,
      retryDelaysMs: [],
    });
    expect(await s.pullNow()).toBe(false);
    expect(s.lastError).toMatch(/127\.0\.0\.1:1/);
    expect(await s.ready(50)).toBe(false);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new ReferTableService({ url: 'file:///x', intervalMs: 1000, http })).toThrow(
      /unsupported scheme file/,
    );
  });
});
