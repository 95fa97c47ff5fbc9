/**
 * End to end: an unmodified DataKit install directory (datakit.conf with many
 * keys plkit ignores, conf.d/log/logging.conf, pipeline/nginx.p) runs under
 * `plkit run`, with the container-style ENV_ overrides DataKit documents.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared.js';
import { BUILT, freePort, NOT_BUILT_REASON, type Running, startPlkit, stopPlkit } from './support.js';

const running: Running[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await stopPlkit(r, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NGINX_P = String.raw`grok(_, "%{IPORHOST:client_ip} %{NOTSPACE} %{NOTSPACE} \\[%{HTTPDATE:time}\\] \"%{DATA:method} %{GREEDYDATA:url} HTTP/%{NUMBER}\" %{INT:status_code} %{INT:bytes}")
cast(status_code, "int")
`;

describe.skipIf(!BUILT)(`unmodified DataKit install${BUILT ? '' : NOT_BUILT_REASON}`, () => {
  it('runs datakit.conf + conf.d/log/logging.conf + pipeline/nginx.p with ENV_ overrides', async () => {
    const work = mkdtempSync(join(tmpdir(), 'plkit-install-'));
    dirs.push(work);
    cpSync(join(REPO_ROOT, 'test', 'config', 'testdata', 'datakit-install'), work, { recursive: true });
    mkdirSync(join(work, 'pipeline'));
    writeFileSync(join(work, 'pipeline', 'nginx.p'), NGINX_P);
    const [dwPort, apiPort, tcpPort, udpPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    // The operator's logging.conf, pointed at files and loopback ports of this test.
    const logs = join(work, 'logs');
    mkdirSync(logs);
    const access = join(logs, 'access.log');
    // DataKit tailed this host before: its first line is already sent, as cache/logtail.history says.
    const sentByDataKit = '192.0.2.1 - - [10/Oct/2023:13:55:35 -0700] "GET /old HTTP/1.1" 200 5\n';
    writeFileSync(
      access,
      `${sentByDataKit}198.51.100.7 - - [10/Oct/2023:13:55:36 -0700] "GET /tail HTTP/1.1" 200 5\n`,
    );
    mkdirSync(join(work, 'cache'), { recursive: true });
    writeFileSync(
      join(work, 'cache', 'logtail.history'),
      JSON.stringify({
        history: {
          [`${access}::${statSync(access).ino}`]: { source: 'nginx', offset: sentByDataKit.length },
        },
      }),
    );
    const confPath = join(work, 'conf.d', 'log', 'logging.conf');
    writeFileSync(
      confPath,
      readFileSync(confPath, 'utf8')
        .replace('/var/log/nginx/access.log', access)
        .replace('/var/log/nginx/error.log', join(logs, 'error.log'))
        .replace('/data/app/*.log', join(logs, 'app', '*.log'))
        .replace('tcp://0.0.0.0:9540', `tcp://127.0.0.1:${tcpPort}`)
        .replace('udp://0.0.0.0:9541', `udp://127.0.0.1:${udpPort}`),
    );
    const dw = startPlkit(['dataway', '--listen', `127.0.0.1:${dwPort}`, '--db', join(work, 'dw.db')]);
    running.push(dw);
    await dw.waitFor(/listening on/);
    const r = startPlkit(['run', '--workdir', work], {
      ENV_HTTP_LISTEN: `127.0.0.1:${apiPort}`,
      ENV_DATAWAY: `http://127.0.0.1:${dwPort}?token=tkn_e2e`,
    });
    running.push(r);
    await r.waitFor(/HTTP API/);
    const line = String.raw`203.0.113.9 - - [10/Oct/2023:13:55:36 -0700] \"GET /x HTTP/1.1\" 404 12`;
    const res = await fetch(`http://127.0.0.1:${apiPort}/v1/write/logging?source=nginx`, {
      method: 'POST',
      body: `nginx message="${line}" 1704067200000000000`,
    });
    expect(res.status).toBe(200);
    const rows = (
      await queryUntil(dwPort, 'nginx', (r) => r.some((x) => x.fields.client_ip?.s === '203.0.113.9'))
    ).filter((x) => x.fields.client_ip?.s === '203.0.113.9');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.status_code).toEqual({ i: '404' });
    expect(rows[0]!.fields.client_ip).toEqual({ s: '203.0.113.9' });

    // The tailed access log went through the same script, with the input's tags.
    const tailed = await queryUntil(dwPort, 'nginx', (r) =>
      r.some((x) => x.fields.client_ip?.s === '198.51.100.7'),
    );
    const row = tailed.find((x) => x.fields.client_ip?.s === '198.51.100.7')!;
    expect(row.fields.status_code).toEqual({ i: '200' });
    expect(row.fields.filepath).toEqual({ s: access });
    expect(row.tags).toMatchObject({ env: 'prod', service: 'nginx', status: 'info' });
    // Read in the same pass, the line before DataKit's saved position was not sent again.
    expect(tailed.some((x) => x.fields.client_ip?.s === '192.0.2.1')).toBe(false);

    // The socket input of the same file (source "default", no script) takes a TCP line.
    const c = net.connect(tcpPort, '127.0.0.1');
    await new Promise((ok) => c.once('connect', ok));
    c.end('hello over tcp\n');
    const sock = await queryUntil(dwPort, 'default', (r) => r.length > 0);
    expect(sock[0]!.fields.message).toEqual({ s: 'hello over tcp' });
    expect(sock[0]!.tags).toMatchObject({ log_source: 'socket', collector_source_ip: '127.0.0.1' });
    expect(await stopPlkit(r)).toBe(0);
  });
});

type Row = { tags: Record<string, string>; fields: Record<string, { s?: string; i?: string } | undefined> };

async function queryUntil(port: number, name: string, ok: (rows: Row[]) => boolean): Promise<Row[]> {
  let rows: Row[] = [];
  for (let i = 0; i < 200; i++) {
    rows = (await (
      await fetch(`http://127.0.0.1:${port}/v1/query?category=logging&name=${name}`)
    ).json()) as Row[];
    if (ok(rows)) return rows;
    await new Promise((s) => setTimeout(s, 50));
  }
  throw new Error(`no matching ${name} rows in the DataWay: ${JSON.stringify(rows).slice(0, 500)}`);
}
