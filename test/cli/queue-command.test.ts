import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueCommand } from '../../src/cli/queue-command.js';
import { DiskQueue } from '../../src/storage/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

describe('plkit queue', () => {
  it('checks a clean queue, finds a flipped bit, repairs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plkit-qcli-'));
    dirs.push(dir);
    const q = DiskQueue.open(dir, { fsync: 'never' });
    for (let i = 0; i < 4; i++) q.push(new TextEncoder().encode(`record-${i}`));
    q.close();
    let c = capture();
    expect(queueCommand('check', dir, {}, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/4 record\(s\) pending.*\n[\s\S]*no damage found/);

    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    const buf = readFileSync(seg);
    buf[buf.length - 3]! ^= 0x40;
    writeFileSync(seg, buf);
    c = capture();
    expect(queueCommand('check', dir, { json: true }, c.io)).toBe(1);
    expect(JSON.parse(c.out[0]!).ok).toBe(false);
    c = capture();
    expect(queueCommand('repair', dir, {}, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/repaired: 3 record\(s\) kept/);
  });

  it('names a missing directory', () => {
    const c = capture();
    expect(queueCommand('check', '/nonexistent/q', {}, c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/no queue directory \/nonexistent\/q/);
  });
});
