/**
 * End to end: `plkit run` as a real process on loopback with the embedded
 * local DataWay; a point written over HTTP comes out of the DataWay parsed
 * by the script in pipeline/. Needs the build (`npm run build`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT, freePort, NOT_BUILT_REASON, type Running, startPlkit, stopPlkit } from './support.js';

const running: Running[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await stopPlkit(r, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!BUILT)(`plkit run end to end${BUILT ? '' : NOT_BUILT_REASON}`, () => {
  it('runs an unmodified DataKit-style install on the embedded local DataWay', async () => {
    const work = mkdtempSync(join(tmpdir(), 'plkit-run-'));
    dirs.push(work);
    const port = await freePort();
    mkdirSync(join(work, 'conf.d'));
    mkdirSync(join(work, 'pipeline'));
    writeFileSync(
      join(work, 'conf.d', 'datakit.conf'),
      `name = "test-host"\n[http_api]\n  listen = "127.0.0.1:${port}"\n[global_host_tags]\n  host = "$datakit_hostname"\n[election]\n  enable = false\n`,
    );
    writeFileSync(
      join(work, 'pipeline', 'nginx.p'),
      'json(_, code)\ncast(code, "int")\nif code >= 500 { add_key(status, "error") }\nadd_key(parsed, true)\n',
    );
    const r = startPlkit(['run', '--workdir', work]);
    running.push(r);
    const [, dw] = await r.waitFor(/embedded local DataWay (http:\/\/[\d.:]+)/);
    await r.waitFor(/HTTP API/);
    const res = await fetch(`http://127.0.0.1:${port}/v1/write/logging?source=nginx`, {
      method: 'POST',
      body: 'nginx message="{\\"code\\": 503}" 1704067200000000000',
    });
    expect(res.status).toBe(200);
    // The uploader sends as soon as it is idle; poll the DataWay briefly.
    let rows: { name: string; fields: Record<string, unknown>; tags: Record<string, string> }[] = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = (await (await fetch(`${dw}/v1/query?category=logging&name=nginx`)).json()) as typeof rows;
      if (rows.length === 0) await new Promise((s) => setTimeout(s, 50));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields.code).toEqual({ i: '503' });
    expect(rows[0]!.fields.status).toEqual({ s: 'error' });
    expect(rows[0]!.fields.parsed).toEqual({ b: true });
    expect(rows[0]!.tags.host).toBeTruthy();
    expect(await stopPlkit(r)).toBe(0);
    expect(r.out.join('')).toMatch(/stopped/);
  });

  it('refuses to start on a configuration error and names the file, line and key', async () => {
    const work = mkdtempSync(join(tmpdir(), 'plkit-run-'));
    dirs.push(work);
    mkdirSync(join(work, 'conf.d'));
    writeFileSync(join(work, 'conf.d', 'datakit.conf'), '[http_api]\n  listen = 9529\n');
    const r = startPlkit(['run', '--workdir', work]);
    running.push(r);
    const code = await new Promise<number | null>((resolve) => r.proc.once('exit', resolve));
    expect(code).toBe(1);
    expect(r.out.join('')).toMatch(/datakit\.conf:2.*http_api\.listen/);
  });
});
