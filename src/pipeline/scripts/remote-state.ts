/**
 * What was pulled from DataWay, kept under `pipeline_remote/` so a restart
 * with DataWay unreachable serves the same remote scripts:
 *
 * ```
 * pipeline_remote/<category>/<name>.p    the scripts (read like any namespace)
 * pipeline_remote/.plkit-remote.json     {version, site, update_time,
 *                                         relation_update_time, relation,
 *                                         defaults}
 * ```
 *
 * Files are written to a temporary name and renamed, scripts first and the
 * state file last; a file whose content is unchanged is not rewritten (its
 * mtime stays, so hot reload has nothing to do). `site` names the DataWay
 * and workspace (base URL and a digest of the token): when it changes, the
 * scripts of the old workspace are wiped before the first pull, as DataKit
 * does.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CATEGORIES, type Category, isCategory } from '../../point/category.js';
import type { PulledScript } from './remote-answer.js';
import type { RelationEntry } from './routing.js';

export const STATE_FILE = '.plkit-remote.json';

export interface RemoteState {
  site: string;
  updateTime: number;
  relationUpdateTime: number;
  relations: RelationEntry[];
  defaults: Partial<Record<Category, string>>;
}

/** Identity of a DataWay workspace without storing its token. */
export function siteOf(base: string, token: string): string {
  const digest = createHash('sha256').update(token).digest('hex').slice(0, 16);
  return `${base}#${digest}`;
}

async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The state file, or null when there is none; a broken file is an error value. */
export async function readRemoteState(
  dir: string,
): Promise<{ ok: true; state: RemoteState | null } | { ok: false; error: string }> {
  const path = join(dir, STATE_FILE);
  let text: string | null;
  try {
    text = await readIfExists(path);
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
  if (text === null) return { ok: true, state: null };
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (o.version !== 1) throw new Error(`unknown version ${JSON.stringify(o.version)}`);
    const relations: RelationEntry[] = [];
    for (const r of (o.relation ?? []) as Record<string, unknown>[]) {
      if (
        typeof r.category === 'string' &&
        isCategory(r.category) &&
        typeof r.source === 'string' &&
        typeof r.name === 'string'
      ) {
        relations.push({ category: r.category, source: r.source, name: r.name });
      }
    }
    const defaults: Partial<Record<Category, string>> = {};
    for (const [c, n] of Object.entries((o.defaults ?? {}) as Record<string, unknown>)) {
      if (isCategory(c) && typeof n === 'string') defaults[c] = n;
    }
    return {
      ok: true,
      state: {
        site: typeof o.site === 'string' ? o.site : '',
        updateTime: typeof o.update_time === 'number' ? o.update_time : 0,
        relationUpdateTime: typeof o.relation_update_time === 'number' ? o.relation_update_time : 0,
        relations,
        defaults,
      },
    };
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
}

export async function writeRemoteState(dir: string, state: RemoteState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const body = {
    version: 1,
    site: state.site,
    update_time: state.updateTime,
    relation_update_time: state.relationUpdateTime,
    relation: state.relations,
    defaults: state.defaults,
  };
  await writeAtomic(join(dir, STATE_FILE), `${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Make the folder hold exactly `scripts` (by category); other `.p` files
 * of the namespace are removed. Pattern files are left alone.
 */
export async function replaceRemoteScripts(dir: string, scripts: readonly PulledScript[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const want = new Map<string, string>();
  for (const s of scripts) want.set(join(dir, s.category, s.name), s.text);
  for (const category of new Set(scripts.map((s) => s.category)))
    await mkdir(join(dir, category), { recursive: true });
  for (const [path, text] of want) {
    if ((await readIfExists(path)) !== text) await writeAtomic(path, text);
  }
  const stale: string[] = [];
  for (const e of await entries(dir)) if (e.isFile() && e.name.endsWith('.p')) stale.push(join(dir, e.name));
  for (const c of CATEGORIES) {
    for (const e of await entries(join(dir, c))) {
      const p = join(dir, c, e.name);
      if (e.isFile() && e.name.endsWith('.p') && !want.has(p)) stale.push(p);
      else if (e.isFile() && e.name.includes('.tmp-')) stale.push(p);
    }
  }
  for (const p of stale) {
    if (want.has(p)) continue;
    try {
      await unlink(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/** Remove every pulled script and the state file (a workspace change). */
export async function wipeRemote(dir: string): Promise<void> {
  await replaceRemoteScripts(dir, []);
  await rm(join(dir, STATE_FILE), { force: true });
}
