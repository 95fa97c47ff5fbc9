/**
 * Reads the remote-pipeline folder the local DataWay serves:
 *
 * ```
 * <scriptsDir>/<category>/<name>.p   scripts (category folders by full name)
 * <scriptsDir>/relations.json        [{"category","source","name"}]   optional
 * <scriptsDir>/defaults.json         {"<category>": "<name>.p"}      optional
 * ```
 *
 * The folder is re-read on every pull: pulls come about once a minute, the
 * folder is small, and a fresh read cannot serve a stale script. Problems are
 * returned as values naming the file, so the pull answer can say exactly
 * what to fix instead of serving a half-read folder.
 */
import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isCategory } from '../point/category.js';

export interface RemoteScript {
  category: string;
  /** File name, with the `.p` suffix (what DataKit stores and relations name). */
  name: string;
  text: Buffer;
  asDefault: boolean;
}

export interface RemoteRelation {
  category: string;
  source: string;
  /** Script name with `.p`. */
  name: string;
}

export interface CatalogSnapshot {
  scripts: RemoteScript[];
  /** Newest mtime (s) of the scripts, their folders and defaults.json. */
  scriptsMtime: number;
  scriptsFingerprint: string;
  relations: RemoteRelation[];
  /** mtime (s) of relations.json, 0 when absent. */
  relationsMtime: number;
  relationsFingerprint: string;
}

export interface CatalogError {
  file: string;
  message: string;
}

export type CatalogResult = { ok: true; snapshot: CatalogSnapshot } | { ok: false; error: CatalogError };

const RELATIONS_FILE = 'relations.json';
const DEFAULTS_FILE = 'defaults.json';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** A script name as DataKit spells it: always with `.p`. */
export function scriptFileName(name: string): string {
  return name.endsWith('.p') ? name : `${name}.p`;
}

export function readCatalog(dir: string): CatalogResult {
  let entries: Dirent[];
  let dirMtime: number;
  try {
    dirMtime = seconds(statSync(dir).mtimeMs);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, snapshot: emptySnapshot() };
    return fail(dir, e);
  }

  const defaults = readDefaults(join(dir, DEFAULTS_FILE));
  if (!defaults.ok) return defaults;
  const relations = readRelations(join(dir, RELATIONS_FILE));
  if (!relations.ok) return relations;

  const scripts: RemoteScript[] = [];
  let mtime = Math.max(dirMtime, defaults.mtime);
  const categories = entries
    .filter((e) => e.isDirectory() && isCategory(e.name))
    .map((e) => e.name)
    .sort();
  for (const category of categories) {
    const catDir = join(dir, category);
    let files: Dirent[];
    try {
      mtime = Math.max(mtime, seconds(statSync(catDir).mtimeMs));
      files = readdirSync(catDir, { withFileTypes: true });
    } catch (e) {
      return fail(catDir, e);
    }
    const names = files
      .filter((f) => f.isFile() && f.name.endsWith('.p'))
      .map((f) => f.name)
      .sort();
    for (const name of names) {
      const file = join(catDir, name);
      try {
        mtime = Math.max(mtime, seconds(statSync(file).mtimeMs));
        const text = readFileSync(file);
        scripts.push({ category, name, text, asDefault: defaults.map.get(category) === name });
      } catch (e) {
        return fail(file, e);
      }
    }
  }

  for (const [category, name] of defaults.map) {
    if (!scripts.some((s) => s.category === category && s.name === name)) {
      return {
        ok: false,
        error: {
          file: join(dir, DEFAULTS_FILE),
          message: `default script ${category}/${name} does not exist`,
        },
      };
    }
  }

  const h = createHash('sha256');
  for (const s of scripts) {
    h.update(`${s.category}\0${s.name}\0${s.asDefault ? 1 : 0}\0${s.text.length}\0`);
    h.update(s.text);
  }
  return {
    ok: true,
    snapshot: {
      scripts,
      scriptsMtime: mtime,
      scriptsFingerprint: h.digest('hex'),
      relations: relations.list,
      relationsMtime: relations.mtime,
      relationsFingerprint: createHash('sha256').update(JSON.stringify(relations.list)).digest('hex'),
    },
  };
}

function emptySnapshot(): CatalogSnapshot {
  const none = createHash('sha256').update('').digest('hex');
  return {
    scripts: [],
    scriptsMtime: 0,
    scriptsFingerprint: none,
    relations: [],
    relationsMtime: 0,
    relationsFingerprint: createHash('sha256').update('[]').digest('hex'),
  };
}

function fail(file: string, e: unknown): { ok: false; error: CatalogError } {
  return { ok: false, error: { file, message: (e as Error).message } };
}

/** Read an optional JSON file: `undefined` when absent. */
function readJson(
  file: string,
): { ok: true; value: unknown; mtime: number } | { ok: false; error: CatalogError } {
  let raw: string;
  let mtime: number;
  try {
    mtime = seconds(statSync(file).mtimeMs);
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined, mtime: 0 };
    return fail(file, e);
  }
  try {
    return { ok: true, value: JSON.parse(raw), mtime };
  } catch (e) {
    return { ok: false, error: { file, message: `invalid JSON: ${(e as Error).message}` } };
  }
}

function readDefaults(
  file: string,
): { ok: true; map: Map<string, string>; mtime: number } | { ok: false; error: CatalogError } {
  const j = readJson(file);
  if (!j.ok) return j;
  const map = new Map<string, string>();
  if (j.value === undefined) return { ok: true, map, mtime: 0 };
  if (j.value === null || typeof j.value !== 'object' || Array.isArray(j.value)) {
    return { ok: false, error: { file, message: 'expected an object {"<category>": "<name>.p"}' } };
  }
  for (const [category, name] of Object.entries(j.value)) {
    if (!isCategory(category))
      return { ok: false, error: { file, message: `unknown category ${JSON.stringify(category)}` } };
    if (typeof name !== 'string' || name === '') {
      return { ok: false, error: { file, message: `${category}: expected a script name string` } };
    }
    map.set(category, scriptFileName(name));
  }
  return { ok: true, map, mtime: j.mtime };
}

function readRelations(
  file: string,
): { ok: true; list: RemoteRelation[]; mtime: number } | { ok: false; error: CatalogError } {
  const j = readJson(file);
  if (!j.ok) return j;
  if (j.value === undefined) return { ok: true, list: [], mtime: 0 };
  if (!Array.isArray(j.value)) {
    return { ok: false, error: { file, message: 'expected an array [{"category","source","name"}]' } };
  }
  const list: RemoteRelation[] = [];
  for (let i = 0; i < j.value.length; i++) {
    const r = j.value[i] as Record<string, unknown> | null;
    const where = `entry ${i}`;
    if (r === null || typeof r !== 'object')
      return { ok: false, error: { file, message: `${where}: expected an object` } };
    const { category, source, name } = r;
    if (typeof category !== 'string' || !isCategory(category)) {
      return {
        ok: false,
        error: { file, message: `${where}: unknown category ${JSON.stringify(category)}` },
      };
    }
    if (typeof source !== 'string' || source === '') {
      return { ok: false, error: { file, message: `${where}: "source" must be a non-empty string` } };
    }
    if (typeof name !== 'string' || name === '') {
      return { ok: false, error: { file, message: `${where}: "name" must be a non-empty string` } };
    }
    list.push({ category, source, name: scriptFileName(name) });
  }
  return { ok: true, list, mtime: j.mtime };
}
