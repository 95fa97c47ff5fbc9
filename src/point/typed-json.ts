/**
 * The typed point shape of the conformance vectors and of `plkit … --json`:
 * `{"name","time_ns","tags","fields":{"k":{"i":"1"}}}` where int/uint and the
 * time are decimal strings, floats JSON numbers (or "NaN"/"+Inf"/"-Inf"),
 * bytes base64 and arrays lists of typed values.
 */
import { type Category, categoryFromName } from './category.js';
import { Point } from './point.js';
import { type BasicValue, type FieldValue, UInt } from './value.js';

export type TypedValue =
  | { i: string }
  | { u: string }
  | { f: number | string }
  | { b: boolean }
  | { s: string }
  | { d: string }
  | { a: TypedValue[] }
  | { n: null };

export interface TypedPoint {
  name: string;
  time_ns: string;
  tags: Record<string, string>;
  fields: Record<string, TypedValue>;
  dropped?: boolean;
  category?: string;
  sub_point?: boolean;
  run_error?: string;
}

export class TypedShapeError extends Error {
  override name = 'TypedShapeError';
}

export function toTypedValue(v: FieldValue): TypedValue {
  switch (typeof v) {
    case 'string':
      return { s: v };
    case 'bigint':
      return { i: v.toString() };
    case 'number':
      if (Number.isNaN(v)) return { f: 'NaN' };
      if (v === Number.POSITIVE_INFINITY) return { f: '+Inf' };
      if (v === Number.NEGATIVE_INFINITY) return { f: '-Inf' };
      return { f: v };
    case 'boolean':
      return { b: v };
    default:
      if (v === null) return { n: null };
      if (v instanceof UInt) return { u: v.v.toString() };
      if (v instanceof Uint8Array)
        return { d: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      return { a: v.map((x) => toTypedValue(x)) };
  }
}

export function fromTypedValue(t: unknown, where = 'value'): FieldValue {
  if (t === null || typeof t !== 'object')
    throw new TypedShapeError(`${where}: expected a typed value object`);
  const o = t as Record<string, unknown>;
  if ('s' in o && typeof o.s === 'string') return o.s;
  if ('i' in o && (typeof o.i === 'string' || typeof o.i === 'number')) return BigInt.asIntN(64, BigInt(o.i));
  if ('u' in o && (typeof o.u === 'string' || typeof o.u === 'number')) return new UInt(BigInt(o.u));
  if ('f' in o) {
    if (typeof o.f === 'number') return o.f;
    if (o.f === 'NaN') return Number.NaN;
    if (o.f === '+Inf' || o.f === 'Inf') return Number.POSITIVE_INFINITY;
    if (o.f === '-Inf') return Number.NEGATIVE_INFINITY;
  }
  if ('b' in o && typeof o.b === 'boolean') return o.b;
  if ('d' in o && typeof o.d === 'string') return new Uint8Array(Buffer.from(o.d, 'base64'));
  if ('a' in o && Array.isArray(o.a))
    return o.a.map((x, i) => fromTypedValue(x, `${where}[${i}]`) as BasicValue);
  if ('n' in o) return null;
  throw new TypedShapeError(`${where}: unknown typed value ${JSON.stringify(t)}`);
}

export function toTyped(pt: Point, extra?: { dropped?: boolean }): TypedPoint {
  const tags: Record<string, string> = {};
  for (const [k, v] of pt.tags) tags[k] = v;
  const fields: Record<string, TypedValue> = {};
  for (const [k, v] of pt.fields) fields[k] = toTypedValue(v);
  const out: TypedPoint = { name: pt.name, time_ns: pt.time.toString(), tags, fields };
  if (extra?.dropped !== undefined) out.dropped = extra.dropped;
  return out;
}

export function fromTyped(obj: unknown, defaultCategory: Category = 'logging'): Point {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new TypedShapeError('expected a typed point object');
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.name !== 'string') throw new TypedShapeError('point: "name" must be a string');
  const tags = new Map<string, string>();
  if (o.tags !== undefined) {
    if (o.tags === null || typeof o.tags !== 'object')
      throw new TypedShapeError('point: "tags" must be an object');
    for (const [k, v] of Object.entries(o.tags)) {
      if (typeof v !== 'string') throw new TypedShapeError(`tag ${k}: expected a string`);
      tags.set(k, v);
    }
  }
  const fields = new Map<string, FieldValue>();
  if (o.fields !== undefined) {
    if (o.fields === null || typeof o.fields !== 'object')
      throw new TypedShapeError('point: "fields" must be an object');
    for (const [k, v] of Object.entries(o.fields)) fields.set(k, fromTypedValue(v, `field ${k}`));
  }
  let time = 0n;
  if (typeof o.time_ns === 'string' || typeof o.time_ns === 'number') time = BigInt(o.time_ns);
  const cat =
    typeof o.category === 'string' ? (categoryFromName(o.category) ?? defaultCategory) : defaultCategory;
  return new Point(o.name, tags, fields, time, cat);
}
