/**
 * Where each key of a TOML document is written, because smol-toml returns
 * values without positions and error messages must name a line.
 *
 * The heuristic: after the document parsed cleanly, scan its text once,
 * tracking only what decides structure — table headers (`[a.b]`,
 * `[[a.b]]`, counting each array-of-tables element), `key =` at the start
 * of a statement, and values skipped with their strings, comments and
 * bracket nesting so that text inside multi-line strings and arrays is
 * never mistaken for a key. Each key path (array-of-tables elements as
 * indexes, e.g. `inputs.logging[1].tags`) maps to the 1-based line of its
 * key or header. Keys inside inline tables are not indexed; a lookup of a
 * path that is not indexed (an array element, an inline-table key) falls
 * back to its nearest indexed ancestor, which is the line an operator
 * needs to look at anyway.
 */

export type PathSeg = string | number;

/** Canonical map key for a path (NUL never appears in TOML keys we index). */
export function pathId(path: readonly PathSeg[]): string {
  let s = '';
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    s += typeof p === 'number' ? `\u0000#${p}` : `\u0000${p}`;
  }
  return s;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `inputs.logging[0].tags."a.b"` */
export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (typeof p === 'number') s += `[${p}]`;
    else {
      const k = BARE_KEY.test(p) ? p : JSON.stringify(p);
      s += s === '' ? k : `.${k}`;
    }
  }
  return s;
}

export class KeyLineIndex {
  readonly #lines = new Map<string, number>();

  set(path: readonly PathSeg[], line: number): void {
    const id = pathId(path);
    if (!this.#lines.has(id)) this.#lines.set(id, line);
  }

  /** Line of `path`, else of its nearest indexed ancestor, else null. */
  lineOf(path: readonly PathSeg[]): number | null {
    for (let n = path.length; n > 0; n--) {
      const line = this.#lines.get(pathId(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return null;
  }

  static scan(source: string): KeyLineIndex {
    const idx = new KeyLineIndex();
    new Scanner(source, idx).run();
    return idx;
  }
}

class Scanner {
  #s: string;
  #i = 0;
  #line = 1;
  #idx: KeyLineIndex;
  /** Current table path (with AOT indexes resolved). */
  #table: PathSeg[] = [];
  /** Element counts of arrays of tables, by the pathId of their resolved path. */
  #aotCount = new Map<string, number>();

  constructor(source: string, idx: KeyLineIndex) {
    this.#s = source;
    this.#idx = idx;
  }

  run(): void {
    const s = this.#s;
    while (this.#i < s.length) {
      const c = s[this.#i]!;
      if (c === '\n') {
        this.#line++;
        this.#i++;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.#i++;
      } else if (c === '#') {
        this.#skipComment();
      } else if (c === '[') {
        this.#header();
      } else {
        this.#keyValue();
      }
    }
  }

  #skipComment(): void {
    const s = this.#s;
    while (this.#i < s.length && s[this.#i] !== '\n') this.#i++;
  }

  #skipToEol(): void {
    this.#skipComment();
  }

  #skipInlineWs(): void {
    const s = this.#s;
    while (this.#i < s.length && (s[this.#i] === ' ' || s[this.#i] === '\t')) this.#i++;
  }

  /** Dotted key at the cursor; null when the text is not a key (cursor moves to end of line). */
  #readKey(): string[] | null {
    const s = this.#s;
    const segs: string[] = [];
    for (;;) {
      this.#skipInlineWs();
      const c = s[this.#i];
      if (c === '"') {
        const seg = this.#readBasicString();
        if (seg === null) return null;
        segs.push(seg);
      } else if (c === "'") {
        const end = s.indexOf("'", this.#i + 1);
        if (end < 0) return null;
        segs.push(s.slice(this.#i + 1, end));
        this.#i = end + 1;
      } else {
        const start = this.#i;
        while (this.#i < s.length && /[A-Za-z0-9_-]/.test(s[this.#i]!)) this.#i++;
        if (this.#i === start) return null;
        segs.push(s.slice(start, this.#i));
      }
      this.#skipInlineWs();
      if (s[this.#i] === '.') {
        this.#i++;
        continue;
      }
      return segs;
    }
  }

  #readBasicString(): string | null {
    const s = this.#s;
    let j = this.#i + 1;
    while (j < s.length && s[j] !== '"' && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
    if (s[j] !== '"') return null;
    const raw = s.slice(this.#i, j + 1);
    this.#i = j + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }

  #header(): void {
    const s = this.#s;
    const line = this.#line;
    const isArray = s[this.#i + 1] === '[';
    this.#i += isArray ? 2 : 1;
    const key = this.#readKey();
    if (key === null) {
      this.#skipToEol();
      return;
    }
    this.#i += isArray ? 2 : 1; // closing bracket(s)
    const resolved = this.#resolve(key);
    if (isArray) {
      this.#idx.set(resolved, line); // the array itself: its first element's header
      const id = pathId(resolved);
      const n = this.#aotCount.get(id) ?? 0;
      this.#aotCount.set(id, n + 1);
      resolved.push(n);
    }
    this.#table = resolved;
    this.#idx.set(resolved, line);
    this.#skipToEol();
  }

  /** Inserts the current element index after every prefix that is an array of tables. */
  #resolve(key: readonly string[]): PathSeg[] {
    const out: PathSeg[] = [];
    for (let k = 0; k < key.length; k++) {
      out.push(key[k]!);
      const n = this.#aotCount.get(pathId(out));
      if (n !== undefined && k < key.length - 1) out.push(n - 1);
    }
    return out;
  }

  #keyValue(): void {
    const line = this.#line;
    const key = this.#readKey();
    if (key === null || this.#s[this.#i] !== '=') {
      this.#skipToEol();
      return;
    }
    this.#i++;
    const path: PathSeg[] = this.#table.slice();
    for (let k = 0; k < key.length; k++) path.push(key[k]!);
    this.#idx.set(path, line);
    this.#skipValue();
  }

  /** Skips one value, which ends at a newline outside any bracket. */
  #skipValue(): void {
    const s = this.#s;
    let depth = 0;
    while (this.#i < s.length) {
      const c = s[this.#i]!;
      if (c === '\n') {
        this.#line++;
        this.#i++;
        if (depth <= 0) return;
      } else if (c === '#') {
        this.#skipComment();
      } else if (c === '"' || c === "'") {
        this.#skipString(c);
      } else {
        if (c === '[' || c === '{') depth++;
        else if (c === ']' || c === '}') depth--;
        this.#i++;
      }
    }
  }

  #skipString(q: string): void {
    const s = this.#s;
    const triple = s[this.#i + 1] === q && s[this.#i + 2] === q;
    const basic = q === '"';
    if (triple) {
      this.#i += 3;
      while (this.#i < s.length) {
        const c = s[this.#i]!;
        if (basic && c === '\\') {
          if (s[this.#i + 1] === '\n') this.#line++;
          this.#i += 2;
        } else if (c === q && s[this.#i + 1] === q && s[this.#i + 2] === q) {
          this.#i += 3;
          // up to two more quotes may belong to the content (`""""` ends with a quote)
          while (s[this.#i] === q) this.#i++;
          return;
        } else {
          if (c === '\n') this.#line++;
          this.#i++;
        }
      }
      return;
    }
    this.#i++;
    while (this.#i < s.length) {
      const c = s[this.#i]!;
      if (c === '\n') return; // invalid in a one-line string; let the value loop count it
      if (basic && c === '\\') this.#i += 2;
      else if (c === q) {
        this.#i++;
        return;
      } else this.#i++;
    }
  }
}
