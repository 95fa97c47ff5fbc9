/**
 * End to end: DataWay goes away while the agent keeps accepting points,
 * the agent itself restarts meanwhile, and DataWay comes back — every point
 * acknowledged to the sender arrives exactly once (the WAL), checked on
 * the stored contents, not on status codes.
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

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'plkit-outage-'));
  dirs.push(d);
  return d;
}

async function startDataway(port: number, db: string): Promise<Running> {
  const r = startPlkit(['dataway', '--listen', `127.0.0.1:${port}`, '--db', db]);
  running.push(r);
  await r.waitFor(/listening on/);
  return r;
}

async function send(apiPort: number, from: number, n: number): Promise<number> {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++)
    lines.push(`app,src=e2e id="${i}",message="line ${i}" ${1704067200000000000n + BigInt(i)}`);
  const r = await fetch(`http://127.0.0.1:${apiPort}/v1/write/logging`, {
    method: 'POST',
    body: lines.join('\n'),
  });
  return r.status;
}

async function storedIds(dwPort: number): Promise<string[]> {
  const rows = (await (
    await fetch(`http://127.0.0.1:${dwPort}/v1/query?category=logging&name=app&limit=10000`)
  ).json()) as {
    fields: Record<string, { s?: string }>;
  }[];
  return rows.map((r) => r.fields.id?.s ?? '?');
}

describe.skipIf(!BUILT)(`DataWay outage${BUILT ? '' : NOT_BUILT_REASON}`, () => {
  it('loses nothing acknowledged while DataWay is down, across an agent restart', async () => {
    const work = tmp();
    const [apiPort, dwPort] = [await freePort(), await freePort()];
    const db = join(work, 'dw.db');
    mkdirSync(join(work, 'conf.d'));
    writeFileSync(
      join(work, 'conf.d', 'datakit.conf'),
      [
        '[http_api]',
        `  listen = "127.0.0.1:${apiPort}"`,
        '[dataway]',
        `  urls = ["http://127.0.0.1:${dwPort}?token=tkn_e2e"]`,
        '  retry_delay = "100ms"',
        '',
      ].join('\n'),
    );
    let dw = await startDataway(dwPort, db);
    const agent1 = startPlkit(['run', '--workdir', work]);
    running.push(agent1);
    await agent1.waitFor(/HTTP API/);

    // Online: 100 points, stored before DataWay dies. Killed while an upload is in flight, DataWay
    // may store a batch without answering; the agent then sends it again (at least once, as DataKit),
    // and this test counts exactly once.
    expect(await send(apiPort, 0, 100)).toBe(200);
    for (let i = 0; i < 100 && (await storedIds(dwPort)).length < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await storedIds(dwPort)).length).toBe(100);
    // DataWay dies; the agent keeps accepting (WAL).
    await stopPlkit(dw, 'SIGKILL');
    for (let b = 0; b < 5; b++) expect(await send(apiPort, 100 + b * 100, 100)).toBe(200);
    // The agent restarts while DataWay is still down.
    expect(await stopPlkit(agent1)).toBe(0);
    const agent2 = startPlkit(['run', '--workdir', work]);
    running.push(agent2);
    await agent2.waitFor(/HTTP API/);
    expect(await send(apiPort, 600, 100)).toBe(200);
    // DataWay returns on the same port and database.
    dw = await startDataway(dwPort, db);
    let ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      ids = await storedIds(dwPort);
      if (ids.length >= 700) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ids.length).toBe(700);
    expect(new Set(ids).size).toBe(700);
    await stopPlkit(agent2);
  }, 60_000);
});
