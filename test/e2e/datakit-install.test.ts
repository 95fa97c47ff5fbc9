/**
 * End to end: an unmodified DataKit install directory (datakit.conf with many
 * keys plkit ignores, conf.d/log/logging.conf, pipeline/nginx.p) runs under
 * `plkit run`, with the container-style ENV_ overrides DataKit documents.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    const [dwPort, apiPort] = [await freePort(), await freePort()];
    const dw = startPlkit(['dataway', '--listen', `127.0.0.1:${dwPort}`, '--db', join(work, 'dw.db')]);
    running.push(dw);
    await dw.waitFor(/listening on/);
    const r = startPlkit(['run', '--workdir', work], {
      ENV_HTTP_LISTEN: `127.0.0.1:${apiPort}`,
      ENV_DATAWAY: `http://127.0.0.1:${dwPort}?token=tkn_e2e`,
    });
    running.push(r);
    await r.waitFor(/HTTP API/);
    expect(r.out.join('')).toMatch(/inputs\.logging is configured but plkit does not tail/);
    const line = String.raw`203.0.113.9 - - [10/Oct/2023:13:55:36 -0700] \"GET /x HTTP/1.1\" 404 12`;
    const res = await fetch(`http://127.0.0.1:${apiPort}/v1/write/logging?source=nginx`, {
      method: 'POST',
      body: `nginx message="${line}" 1704067200000000000`,
    });
    expect(res.status).toBe(200);
    let rows: { fields: Record<string, unknown> }[] = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = (await (
        await fetch(`http://127.0.0.1:${dwPort}/v1/query?category=logging&name=nginx`)
      ).json()) as typeof rows;
      if (rows.length === 0) await new Promise((s) => setTimeout(s, 50));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.status_code).toEqual({ i: '404' });
    expect(rows[0]!.fields.client_ip).toEqual({ s: '203.0.113.9' });
    expect(await stopPlkit(r)).toBe(0);
  });
});
