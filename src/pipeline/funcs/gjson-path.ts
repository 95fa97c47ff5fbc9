/**
 * A small GJSON path evaluator for `gjson()` (DataKit uses tidwall/gjson).
 * It works on the raw JSON text without building a document, the way GJSON
 * does: it is lenient (text between members that is not JSON is skipped),
 * and object/array results are the exact source slice, whitespace and all.
 *
 * Supported path syntax: `a.b.c` keys, `\` escapes (`fav\.movie`), numeric
 * array indices (`friends.1.first`), `*` / `?` wildcards in keys, `#`
 * (array length) and `#.key` (the key of every element, as a JSON array).
 * Queries (`#(...)`), modifiers (`@reverse`), multipaths and JSON-lines
 * paths are not supported: such a path finds nothing.
 */

export type GjsonResult =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'json'; raw: string }
  | { type: 'null' };

interface Component {
  key: string;
  /** Contains an unescaped `*` or `?`. */
  wild: boolean;
  /** The unescaped component is `#`. */
  hash: boolean;
}

/** Splits a path at unescaped `.`; null when the path uses unsupported syntax. */
export function parsePath(path: string): Component[] | null {
  if (path === '') return null;
  const out: Component[] = [];
  let key = '';
  let wild = false;
  let escaped = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      key += path[++i];
      escaped = true;
      continue;
    }
    if (c === '.' || c === '|') {
      out.push({ key, wild, hash: key === '#' && !escaped });
      key = '';
      wild = false;
      escaped = false;
      continue;
    }
    if (c === '*' || c === '?') wild = true;
    if ((c === '@' || c === '!') && key === '' && !escaped) return null;
    if (c === '#' && key === '' && path[i + 1] === '(') return null;
    if ((c === '[' || c === '{') && key === '' && out.length === 0) return null;
    key += c;
  }
  out.push({ key, wild, hash: key === '#' && !escaped });
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isValueStart(c: number): boolean {
  return (
    c === 0x7b || // {
    c === 0x5b || // [
    c === 0x22 || // "
    c === 0x2d || // -
    (c >= 0x30 && c <= 0x39) ||
    c === 0x74 || // t
    c === 0x66 || // f
    c === 0x6e // n
  );
}

/** End (exclusive) of the string starting at the quote at `i`. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return s.length;
}

/** End (exclusive) of the value starting at `i` (which is a value start). */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x22) return stringEnd(s, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 0x22) j = stringEnd(s, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return s.length;
  }
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    j++;
  }
  return j;
}

/** Index of the next value start at or after `i`, or -1 at `close` / the end. */
function nextValue(s: string, i: number, close: number): number {
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === close) return -1;
    if (isValueStart(c)) return j;
  }
  return -1;
}

function unescapeString(raw: string): string {
  if (!raw.includes('\\')) return raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
  try {
    return JSON.parse(raw) as string;
  } catch {
    // lenient: decode what JSON escapes there are, keep anything else as is
    const body = raw.slice(1, raw.endsWith('"') ? -1 : undefined);
    return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case 'b':
          return '\b';
        case 'f':
          return '\f';
        case 'u':
          return String.fromCharCode(Number.parseInt(e.slice(1), 16));
        default:
          return e;
      }
    });
  }
}

function globMatch(str: string, pattern: string): boolean {
  // classic two-pointer glob: `*` any run, `?` one character
  let s = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (s < str.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === str[s])) {
      s++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** [start, end) of the member value named by `comp` in the object at `i`, or null. */
function objectMember(s: string, i: number, comp: Component): [number, number] | null {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x7d) return null;
    if (c !== 0x22) {
      j++;
      continue;
    }
    const kEnd = stringEnd(s, j);
    const key = unescapeString(s.slice(j, kEnd));
    let k = kEnd;
    while (k < s.length && s.charCodeAt(k) !== 0x3a) {
      if (s.charCodeAt(k) === 0x7d) return null;
      k++;
    }
    const vStart = nextValue(s, k + 1, 0x7d);
    if (vStart < 0) return null;
    const vEnd = valueEnd(s, vStart);
    if (comp.wild ? globMatch(key, comp.key) : key === comp.key) return [vStart, vEnd];
    j = vEnd;
  }
  return null;
}

/** The [start, end) spans of the elements of the array at `i`. */
function arrayElements(s: string, i: number, limit: number): [number, number][] {
  const out: [number, number][] = [];
  let j = i + 1;
  while (out.length < limit) {
    const v = nextValue(s, j, 0x5d);
    if (v < 0) break;
    const e = valueEnd(s, v);
    out.push([v, e]);
    j = e;
  }
  return out;
}

/** Span of the value at `path[from..]` inside the value at [start, end), or null. */
function walk(
  s: string,
  start: number,
  end: number,
  path: Component[],
  from: number,
): [number, number] | null {
  let a = start;
  let b = end;
  for (let p = from; p < path.length; p++) {
    const comp = path[p]!;
    const c = s.charCodeAt(a);
    if (c === 0x7b) {
      const m = objectMember(s, a, comp);
      if (m === null) return null;
      [a, b] = m;
    } else if (c === 0x5b) {
      if (comp.hash)
        return p === path.length - 1 ? [-1, arrayElements(s, a, Number.MAX_SAFE_INTEGER).length] : null;
      if (!/^\d+$/.test(comp.key)) return null;
      const idx = Number(comp.key);
      const els = arrayElements(s, a, idx + 1);
      if (els.length <= idx) return null;
      [a, b] = els[idx]!;
    } else return null;
  }
  return [a, b];
}

function classify(raw: string): GjsonResult {
  const c = raw.charCodeAt(0);
  if (c === 0x22) return { type: 'string', value: unescapeString(raw) };
  if (c === 0x7b || c === 0x5b) return { type: 'json', raw };
  if (c === 0x74) return { type: 'bool', value: true };
  if (c === 0x66) return { type: 'bool', value: false };
  if (c === 0x6e) return { type: 'null' };
  const f = Number(raw);
  return { type: 'number', value: Number.isNaN(f) ? 0 : f };
}

/** GJSON `Get(json, path)`: the value found, or null when nothing matches. */
export function gjsonGet(json: string, path: Component[]): GjsonResult | null {
  const root = nextValue(json, 0, -1);
  if (root < 0) return null;
  const rootEnd = valueEnd(json, root);
  // `a.#.b`: the rest of the path over each element of the array at `a`
  const mapAt = path.findIndex((c, i) => c.hash && i < path.length - 1);
  if (mapAt >= 0) {
    const arr = walk(json, root, rootEnd, path.slice(0, mapAt), 0);
    if (arr === null || arr[0] < 0 || json.charCodeAt(arr[0]) !== 0x5b) return null;
    const parts: string[] = [];
    for (const [ea, eb] of arrayElements(json, arr[0], Number.MAX_SAFE_INTEGER)) {
      const hit = walk(json, ea, eb, path, mapAt + 1);
      if (hit !== null && hit[0] >= 0) parts.push(json.slice(hit[0], hit[1]));
    }
    return { type: 'json', raw: `[${parts.join(',')}]` };
  }
  const span = walk(json, root, rootEnd, path, 0);
  if (span === null) return null;
  if (span[0] < 0) return { type: 'number', value: span[1] };
  return classify(json.slice(span[0], span[1]));
}
