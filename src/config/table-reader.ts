/**
 * Typed, defaulting access to one TOML table. A value of the wrong type is
 * reported (file, line, dotted key, what was expected, what was found) and
 * the default is used instead, so loading continues and every problem in
 * every file is reported in one run. Keys that were never read are warned
 * about by `finish()`, with a "did you mean" hint for near misses.
 */
import { parseGoDuration } from './duration.js';
import { describeValue, type IssueSink, type IssueWhere } from './issues.js';
import { formatPath, type KeyLineIndex, type PathSeg } from './key-lines.js';
import type { Origins } from './origins.js';

export type TomlTable = Record<string, unknown>;

export interface ReadCtx {
  /** File path for messages (relative to the workdir). */
  readonly file: string;
  readonly lines: KeyLineIndex;
  readonly sink: IssueSink;
  readonly origins: Origins;
}

export interface NumberOpts {
  min?: number;
  max?: number;
}

export interface DurationOpts {
  /** Go `time.Duration` fields also accept a TOML integer of nanoseconds. */
  intNanos?: boolean;
  /** Reject 0 (intervals that would spin). */
  positive?: boolean;
}

export function isTable(v: unknown): v is TomlTable {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype; // smol-toml tables have a null prototype
}

export class TableReader {
  readonly ctx: ReadCtx;
  readonly path: readonly PathSeg[];
  readonly table: TomlTable;
  readonly #used = new Set<string>();

  constructor(ctx: ReadCtx, path: readonly PathSeg[], table: TomlTable) {
    this.ctx = ctx;
    this.path = path;
    this.table = table;
  }

  keyPath(key: PathSeg | readonly PathSeg[]): readonly PathSeg[] {
    return typeof key === 'string' || typeof key === 'number' ? [...this.path, key] : [...this.path, ...key];
  }

  where(key?: PathSeg | readonly PathSeg[]): IssueWhere {
    const p = key === undefined ? this.path : this.keyPath(key);
    return { file: this.ctx.file, line: this.ctx.lines.lineOf(p), key: formatPath(p) };
  }

  error(key: PathSeg | readonly PathSeg[] | undefined, message: string): void {
    this.ctx.sink.error(this.where(key), message);
  }

  warn(key: PathSeg | readonly PathSeg[] | undefined, message: string): void {
    this.ctx.sink.warn(this.where(key), message);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.table, key);
  }

  /** Marks a key as understood and returns its raw value (undefined when absent). */
  take(key: string): unknown {
    this.#used.add(key);
    if (!this.has(key)) return undefined;
    const w = this.where(key);
    this.ctx.origins.set(formatPath(this.keyPath(key)), w);
    return this.table[key];
  }

  #typeError(key: string, expected: string, got: unknown): void {
    this.error(key, `expected ${expected}, got ${describeValue(got)}`);
  }

  string(key: string, def: string): string {
    const v = this.take(key);
    if (v === undefined) return def;
    if (typeof v === 'string') return v;
    this.#typeError(key, 'a string', v);
    return def;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.take(key);
    if (v === undefined) return def;
    if (typeof v === 'boolean') return v;
    this.#typeError(key, 'true or false', v);
    return def;
  }

  /** A number (TOML integer or float). */
  number(key: string, def: number, opts: NumberOpts = {}): number {
    const v = this.take(key);
    if (v === undefined) return def;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) {
      this.#typeError(key, 'a number', v);
      return def;
    }
    return this.#range(key, n, def, opts);
  }

  integer(key: string, def: number, opts: NumberOpts = {}): number {
    const v = this.take(key);
    if (v === undefined) return def;
    if (typeof v === 'bigint') {
      this.error(key, `integer ${v} is out of range`);
      return def;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.#typeError(key, 'an integer', v);
      return def;
    }
    return this.#range(key, v, def, opts);
  }

  #range(key: string, n: number, def: number, opts: NumberOpts): number {
    if (opts.min !== undefined && n < opts.min) {
      this.error(key, `must be at least ${opts.min}, got ${n}`);
      return def;
    }
    if (opts.max !== undefined && n > opts.max) {
      this.error(key, `must be at most ${opts.max}, got ${n}`);
      return def;
    }
    return n;
  }

  /** A Go duration string, as milliseconds. */
  duration(key: string, defMs: number, opts: DurationOpts = {}): number {
    const v = this.take(key);
    if (v === undefined) return defMs;
    let ms: number | null = null;
    if (typeof v === 'string') {
      ms = parseGoDuration(v.trim());
      if (ms === null) {
        this.error(key, `expected a duration like "10s", "1m" or "100ms", got ${describeValue(v)}`);
        return defMs;
      }
    } else if (opts.intNanos === true && typeof v === 'number' && Number.isInteger(v)) {
      ms = v / 1e6;
    } else {
      this.#typeError(key, 'a duration string like "10s"', v);
      return defMs;
    }
    if (ms < 0) {
      this.error(key, `must not be negative, got ${describeValue(v)}`);
      return defMs;
    }
    if (opts.positive === true && ms === 0) {
      this.error(key, `must be greater than 0, got ${describeValue(v)}`);
      return defMs;
    }
    return ms;
  }

  stringList(key: string, def: readonly string[]): string[] {
    const v = this.take(key);
    if (v === undefined) return def.slice();
    if (!Array.isArray(v)) {
      this.#typeError(key, 'an array of strings', v);
      return def.slice();
    }
    const out: string[] = [];
    let ok = true;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'string') out.push(x);
      else {
        this.error([key, i], `expected a string, got ${describeValue(x)}`);
        ok = false;
      }
    }
    return ok ? out : def.slice();
  }

  /** A table of string values (tags). */
  stringMap(key: string): Record<string, string> {
    const v = this.take(key);
    const out: Record<string, string> = {};
    if (v === undefined) return out;
    if (!isTable(v)) {
      this.#typeError(key, 'a table of strings', v);
      return out;
    }
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') out[k] = x;
      else this.error([key, k], `expected a string, got ${describeValue(x)}`);
    }
    return out;
  }

  /** One of `allowed` (compared lower-cased when `ci`). */
  oneOf<T extends string>(key: string, allowed: readonly T[], def: T, ci = false): T {
    const v = this.take(key);
    if (v === undefined) return def;
    if (typeof v !== 'string') {
      this.#typeError(key, `one of ${listOf(allowed)}`, v);
      return def;
    }
    const s = ci ? v.toLowerCase() : v;
    if ((allowed as readonly string[]).includes(s)) return s as T;
    this.error(key, `expected one of ${listOf(allowed)}, got ${describeValue(v)}`);
    return def;
  }

  /** A sub-table; null when absent or of the wrong type (reported). */
  subTable(key: string): TableReader | null {
    const v = this.take(key);
    if (v === undefined) return null;
    if (!isTable(v)) {
      this.#typeError(key, 'a table', v);
      return null;
    }
    return new TableReader(this.ctx, this.keyPath(key), v);
  }

  /** `[[key]]` elements; a single `[key]` table is accepted as one element. */
  tableList(key: string): TableReader[] {
    const v = this.take(key);
    if (v === undefined) return [];
    if (isTable(v)) return [new TableReader(this.ctx, this.keyPath(key), v)];
    if (!Array.isArray(v)) {
      this.#typeError(key, 'an array of tables', v);
      return [];
    }
    const out: TableReader[] = [];
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (isTable(x)) out.push(new TableReader(this.ctx, this.keyPath([key, i]), x));
      else this.error([key, i], `expected a table, got ${describeValue(x)}`);
    }
    return out;
  }

  /** Accepts a key plkit does not use, silently. */
  ignore(...keys: string[]): void {
    for (const k of keys) this.#used.add(k);
  }

  /** Accepts a deprecated key, warning when it is present. */
  deprecated(key: string, hint: string): unknown {
    const v = this.take(key);
    if (v !== undefined) this.warn(key, `deprecated: ${hint}`);
    return v;
  }

  /** Warns about every key that was never read. `known` feeds "did you mean" hints. */
  finish(known: readonly string[] = [...this.#used]): void {
    for (const key of Object.keys(this.table)) {
      if (this.#used.has(key)) continue;
      const close = nearest(key, known);
      const hint = close !== null ? ` (did you mean ${JSON.stringify(close)}?)` : '';
      const what = isTable(this.table[key]) ? 'table' : 'key';
      this.warn(key, `${what} not used by plkit, ignored${hint}`);
    }
  }
}

function listOf(xs: readonly string[]): string {
  return xs.map((x) => JSON.stringify(x)).join(', ');
}

/** The known key within edit distance 2 of `key` (typos), if one. */
function nearest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  let prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
