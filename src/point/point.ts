/**
 * The point: one measurement with tags, typed fields and a nanosecond time.
 *
 * Layout: `tags` and `fields` are `Map`s (insertion-ordered, fast for the
 * dynamic keys scripts add and remove); `time` is a bigint of Unix
 * nanoseconds, since ns timestamps exceed 2^53. Values use the bare JS
 * representation described in `value.ts`. `warns` stays null until intake
 * has something to say, so the common point allocates no list.
 */
import type { Category } from './category.js';
import type { FieldValue } from './value.js';

export interface Warn {
  type: string;
  msg: string;
}

export class Point {
  name: string;
  tags: Map<string, string>;
  fields: Map<string, FieldValue>;
  time: bigint;
  category: Category;
  warns: Warn[] | null = null;

  constructor(
    name: string,
    tags: Map<string, string>,
    fields: Map<string, FieldValue>,
    time: bigint,
    category: Category = 'logging',
  ) {
    this.name = name;
    this.tags = tags;
    this.fields = fields;
    this.time = time;
    this.category = category;
  }

  addWarn(type: string, msg: string): void {
    if (this.warns === null) this.warns = [];
    this.warns.push({ type, msg });
  }

  /** A copy whose maps can be changed without touching this point. */
  clone(): Point {
    const p = new Point(this.name, new Map(this.tags), new Map(this.fields), this.time, this.category);
    if (this.warns !== null) p.warns = this.warns.slice();
    return p;
  }

  /** Tag or field value by key (tags first, as DataKit's `Get`). */
  get(key: string): FieldValue | undefined {
    const t = this.tags.get(key);
    if (t !== undefined) return t;
    return this.fields.get(key);
  }

  has(key: string): boolean {
    return this.tags.has(key) || this.fields.has(key);
  }
}
