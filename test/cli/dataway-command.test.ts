import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datawayCommand } from '../../src/cli/dataway-command.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'plkit-dw-cmd-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sink() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

async function waitFor<T>(f: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

describe('datawayCommand', () => {
  it('prints where it listens and where the database is, serves, and stops on abort', async () => {
    const { io, out, err } = sink();
    const stop = new AbortController();
    const db = join(tmp, 'sub', 'dw.db');
    const done = datawayCommand({ listen: '127.0.0.1:0', db, stopSignal: stop.signal }, io);
    const line = await waitFor(() => out[0]);
    expect(line).toMatch(
      /^plkit local DataWay listening on http:\/\/127\.0\.0\.1:\d+, database .*sub\/dw\.db\n$/,
    );
    const url = /(http:\/\/[^,]+),/.exec(line)![1]!;
    expect((await fetch(`${url}/v1/write/logging`, { method: 'POST', body: 'a m="x" 1' })).status).toBe(200);
    stop.abort();
    expect(await done).toBe(0);
    expect(err).toEqual([]);
    expect(out[1]).toBe('plkit local DataWay stopped\n');
  });

  it('stops on SIGTERM', async () => {
    const { io, out } = sink();
    const before = process.listenerCount('SIGTERM');
    const beforeInt = process.listenerCount('SIGINT');
    const done = datawayCommand({ listen: '127.0.0.1:0', db: join(tmp, 'sig.db') }, io);
    await waitFor(() => out[0]);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    expect(await done).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(beforeInt);
  });

  it('mentions the scripts folder when given', async () => {
    const { io, out } = sink();
    const stop = new AbortController();
    stop.abort();
    const code = await datawayCommand(
      { listen: '127.0.0.1:0', db: join(tmp, 's.db'), scripts: join(tmp, 'pl'), stopSignal: stop.signal },
      io,
    );
    expect(code).toBe(0);
    expect(out[0]).toContain(`remote pipelines from ${join(tmp, 'pl')}`);
  });

  it('returns 1 with a message when it cannot listen', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    const { io, out, err } = sink();
    const code = await datawayCommand({ listen: `127.0.0.1:${port}`, db: join(tmp, 'busy.db') }, io);
    await new Promise((r) => busy.close(r));
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/plkit dataway: cannot start on 127\.0\.0\.1:\d+ .*EADDRINUSE/);
  });

  const unstartable: [string, { listen: string; db: string }, RegExp][] = [
    ['a bad listen address', { listen: 'nope', db: 'x.db' }, /expected host:port/],
    ['a database path that is a folder', { listen: '127.0.0.1:0', db: '.' }, /cannot start/],
  ];
  it.each(unstartable)('returns 1 for %s', async (_, o, msg) => {
    const { io, err } = sink();
    const db = o.db === '.' ? tmp : join(tmp, o.db);
    expect(await datawayCommand({ listen: o.listen, db }, io)).toBe(1);
    expect(err.join('')).toMatch(msg);
  });
});
