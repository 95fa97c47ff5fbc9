/**
 * Typed access to `ENV_*` variables with DataKit's conventions: an empty
 * variable counts as unset, a "bool" is on when set to anything, lists are
 * comma-separated. A malformed value is an error naming the variable and
 * the key it would have set, and leaves the file's value in place; every
 * value applied is recorded as the origin of its key.
 */
import { parseGoDuration } from './duration.js';
import type { IssueSink } from './issues.js';
import type { Origins } from './origins.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  readonly #env: Env;
  readonly #sink: IssueSink;
  readonly #origins: Origins;

  constructor(env: Env, sink: IssueSink, origins: Origins) {
    this.#env = env;
    this.#sink = sink;
    this.#origins = origins;
  }

  /** The first of `names` that is set and non-empty (later names are DataKit's deprecated aliases). */
  pick(...names: string[]): { name: string; value: string } | null {
    for (const name of names) {
      const v = this.#env[name];
      if (v !== undefined && v !== '') return { name, value: v };
    }
    return null;
  }

  raw(name: string): string | null {
    const v = this.#env[name];
    return v === undefined || v === '' ? null : v;
  }

  applied(name: string, key: string): void {
    this.#origins.set(key, { env: name });
  }

  error(name: string, key: string, message: string): void {
    this.#sink.error({ env: name, key }, message);
  }

  warn(name: string, key: string, message: string): void {
    this.#sink.warn({ env: name, key }, message);
  }

  string(name: string, key: string, apply: (v: string) => void): void {
    const v = this.raw(name);
    if (v === null) return;
    apply(v);
    this.applied(name, key);
  }

  flag(name: string, key: string, apply: () => void): void {
    if (this.raw(name) === null) return;
    apply();
    this.applied(name, key);
  }

  list(name: string, key: string, apply: (v: string[]) => void): void {
    const v = this.raw(name);
    if (v === null) return;
    apply(splitList(v));
    this.applied(name, key);
  }

  duration(name: string, key: string, apply: (ms: number) => void, positive = false): void {
    const v = this.raw(name);
    if (v === null) return;
    const ms = parseGoDuration(v.trim());
    if (ms === null) this.error(name, key, `expected a duration like "10s", got ${JSON.stringify(v)}`);
    else if (ms < 0 || (positive && ms === 0))
      this.error(
        name,
        key,
        `must be ${positive ? 'greater than 0' : 'not negative'}, got ${JSON.stringify(v)}`,
      );
    else {
      apply(ms);
      this.applied(name, key);
    }
  }

  integer(name: string, key: string, min: number, apply: (n: number) => void): void {
    const v = this.raw(name);
    if (v === null) return;
    const t = v.trim();
    const n = Number(t);
    if (!/^[+-]?\d+$/.test(t) || !Number.isSafeInteger(n))
      this.error(name, key, `expected an integer, got ${JSON.stringify(v)}`);
    else if (n < min) this.error(name, key, `must be at least ${min}, got ${n}`);
    else {
      apply(n);
      this.applied(name, key);
    }
  }

  number(name: string, key: string, min: number, apply: (n: number) => void): void {
    const v = this.raw(name);
    if (v === null) return;
    const t = v.trim();
    const n = t === '' ? Number.NaN : Number(t);
    if (!Number.isFinite(n)) this.error(name, key, `expected a number, got ${JSON.stringify(v)}`);
    else if (n < min) this.error(name, key, `must be at least ${min}, got ${n}`);
    else {
      apply(n);
      this.applied(name, key);
    }
  }
}

/** Comma-separated values, trimmed, empty entries dropped. */
export function splitList(v: string): string[] {
  const out: string[] = [];
  for (const part of v.split(',')) {
    const s = part.trim();
    if (s !== '') out.push(s);
  }
  return out;
}

/** `k=v,k2=v2`; entries without `=` or with an empty key are returned in `bad`. */
export function parseTagList(v: string): { tags: Record<string, string>; bad: string[] } {
  const tags: Record<string, string> = {};
  const bad: string[] = [];
  for (const part of v.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? '' : part.slice(0, eq).trim();
    if (k === '') bad.push(part);
    else tags[k] = part.slice(eq + 1).trim();
  }
  return { tags, bad };
}
