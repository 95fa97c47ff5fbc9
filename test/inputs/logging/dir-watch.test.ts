import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { DirWatch } from '../../../src/inputs/logging/dir-watch.js';
import { until } from './support.js';

let dir: string;
const open: DirWatch[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plkit-dirwatch-'));
});
afterEach(() => {
  for (const w of open.splice(0)) w.close();
  rmSync(dir, { recursive: true, force: true });
});

function watchOn(patterns: string[]) {
  const seen: string[] = [];
  const w = new DirWatch(patterns, (p) => seen.push(p), silentLogger());
  open.push(w);
  w.refresh();
  return { w, seen };
}

describe('DirWatch', () => {
  it('watches the directory a pattern starts from, or the named file’s directory', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const { w } = watchOn([join(dir, '*.log'), join(sub, 'app.log'), join(dir, 'sub', '**', '*.log')]);
    expect(w.watching.sort()).toEqual([dir, sub].sort());
  });

  it('names the files events happen to, with their full path', async () => {
    const { seen } = watchOn([join(dir, '*.log')]);
    writeFileSync(join(dir, 'new.log'), 'x\n');
    appendFileSync(join(dir, 'new.log'), 'y\n');
    await until(() => seen.includes(join(dir, 'new.log')), 3000, 'an event');
  });

  it('a directory that does not exist yet is watched once it does', async () => {
    const later = join(dir, 'later');
    const { w, seen } = watchOn([join(later, '*.log')]);
    expect(w.watching).toEqual([]);
    mkdirSync(later);
    w.refresh();
    expect(w.watching).toEqual([later]);
    writeFileSync(join(later, 'a.log'), 'x\n');
    await until(() => seen.length > 0, 3000, 'an event');
  });

  it('stops naming files once closed', async () => {
    const { w, seen } = watchOn([join(dir, '*.log')]);
    w.close();
    w.refresh();
    writeFileSync(join(dir, 'a.log'), 'x\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
    expect(w.watching).toEqual([]);
  });
});
