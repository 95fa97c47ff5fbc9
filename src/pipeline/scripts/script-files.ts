/**
 * What a namespace folder holds, as DataKit lays it out: `<root>/*.p` are
 * logging scripts, `<root>/<category>/*.p` scripts of that category (the
 * `logging/` folder wins over a same-named top-level file), and every file
 * under `<root>/pattern/` is a grok pattern file. The `gitrepo` namespace
 * root holds one such tree per repository (`pipeline_gitrepos/<repo>/`);
 * repositories are read in name order and the first one to define a
 * script keeps it.
 *
 * Listing (names and paths) is separate from reading (texts) so the hot
 * reload poller can stat the same files cheaply without reading them.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CATEGORIES, type Category } from '../../point/category.js';
import type { Namespace } from './namespaces.js';

export interface ScriptFileRef {
  category: Category;
  /** File name with `.p`, the name scripts are selected by. */
  name: string;
  path: string;
}

export interface NamespaceListing {
  scripts: ScriptFileRef[];
  /** Grok pattern files, in the order their definitions apply (later wins). */
  patternFiles: string[];
  /** Every folder that exists and matters (for watching). */
  dirs: string[];
}

export interface ScriptFile extends ScriptFileRef {
  text: string;
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface NamespaceScan {
  scripts: ScriptFile[];
  /** Grok patterns of the namespace: name → pattern. */
  patterns: Map<string, string>;
  problems: ScanProblem[];
}

export const PATTERN_DIR = 'pattern';

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);

async function entries(dir: string): Promise<Dirent[] | null> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isScriptFile(e: Dirent): boolean {
  return e.isFile() && e.name.endsWith('.p') && !e.name.startsWith('.');
}

async function listTree(root: string, out: NamespaceListing, taken: Set<string>): Promise<void> {
  const top = await entries(root);
  if (top === null) return;
  top.sort(byName);
  out.dirs.push(root);
  const mine = new Map<string, ScriptFileRef>();
  for (const e of top) {
    if (isScriptFile(e))
      mine.set(`logging/${e.name}`, { category: 'logging', name: e.name, path: join(root, e.name) });
  }
  for (const e of top) {
    if (!e.isDirectory()) continue;
    const dir = join(root, e.name);
    if (e.name === PATTERN_DIR) {
      const files = await entries(dir);
      if (files === null) continue;
      out.dirs.push(dir);
      for (const f of files.sort(byName))
        if (f.isFile() && !f.name.startsWith('.')) out.patternFiles.push(join(dir, f.name));
      continue;
    }
    if (!CATEGORY_SET.has(e.name)) continue;
    const files = await entries(dir);
    if (files === null) continue;
    out.dirs.push(dir);
    const category = e.name as Category;
    for (const f of files.sort(byName)) {
      if (isScriptFile(f))
        mine.set(`${category}/${f.name}`, { category, name: f.name, path: join(dir, f.name) });
    }
  }
  for (const [key, ref] of mine) {
    if (taken.has(key)) continue;
    taken.add(key);
    out.scripts.push(ref);
  }
}

/** The script and pattern files of one namespace (missing folders are empty). */
export async function listNamespace(ns: Namespace, root: string): Promise<NamespaceListing> {
  const out: NamespaceListing = { scripts: [], patternFiles: [], dirs: [] };
  const taken = new Set<string>();
  if (ns !== 'gitrepo') {
    await listTree(root, out, taken);
    return out;
  }
  const repos = await entries(root);
  if (repos === null) return out;
  out.dirs.push(root);
  for (const r of repos.sort(byName)) {
    if (r.isDirectory() && !r.name.startsWith('.')) await listTree(join(root, r.name), out, taken);
  }
  return out;
}

/**
 * Grok pattern file lines: `NAME pattern`, `#` comments and blank lines
 * skipped. Later definitions replace earlier ones.
 */
export function parsePatternFile(
  text: string,
  path: string,
  into: Map<string, string>,
  problems: ScanProblem[],
): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (m === null) {
      problems.push({ path, message: `line ${i + 1}: expected "NAME pattern", got ${JSON.stringify(line)}` });
      continue;
    }
    into.set(m[1]!, m[2]!.trim());
  }
}

/** Read everything a namespace holds. Unreadable files become problems, not exceptions. */
export async function scanNamespace(ns: Namespace, root: string): Promise<NamespaceScan> {
  const listing = await listNamespace(ns, root);
  const scan: NamespaceScan = { scripts: [], patterns: new Map(), problems: [] };
  for (const p of listing.patternFiles) {
    try {
      parsePatternFile(await readFile(p, 'utf8'), p, scan.patterns, scan.problems);
    } catch (e) {
      scan.problems.push({ path: p, message: (e as Error).message });
    }
  }
  for (const ref of listing.scripts) {
    try {
      scan.scripts.push({ ...ref, text: await readFile(ref.path, 'utf8') });
    } catch (e) {
      // Vanished between listing and reading: the next reload sees it gone.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        scan.problems.push({ path: ref.path, message: (e as Error).message });
    }
  }
  return scan;
}
