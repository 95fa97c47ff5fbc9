/**
 * Grok pattern files: the default library and the files under each
 * namespace's `pattern/` folder. One pattern per line, `NAME` then one space
 * then the regex; empty lines, lines starting with `#` and lines without a
 * space are skipped; a later line for the same name wins. Nothing is
 * trimmed: DataKit splits at the first space and keeps the rest verbatim
 * (only a line's trailing `\r` goes, as its line reader drops it).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type PatternEntry = readonly [name: string, pattern: string];

export function parsePatternText(text: string): PatternEntry[] {
  const byName = new Map<string, string>();
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    if (lineEnd > start && text.charCodeAt(start) !== 0x23 /* # */) {
      const sp = text.indexOf(' ', start);
      if (sp >= 0 && sp < lineEnd) {
        const name = text.slice(start, sp);
        byName.delete(name);
        byName.set(name, text.slice(sp + 1, lineEnd));
      }
    }
    start = end + 1;
  }
  return [...byName];
}

/**
 * Every pattern in the files of a `pattern/` folder, files in name order
 * (later files override earlier ones); sub-folders are ignored. A missing
 * folder yields no patterns.
 */
export async function readPatternDir(dir: string): Promise<PatternEntry[]> {
  let names: string[];
  try {
    const ents = await readdir(dir, { withFileTypes: true });
    names = ents.filter((e) => e.isFile()).map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  names.sort();
  const merged = new Map<string, string>();
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const [k, v] of parsePatternText(text)) {
      merged.delete(k);
      merged.set(k, v);
    }
  }
  return [...merged];
}
