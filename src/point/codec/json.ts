/**
 * The plain JSON encoding (`application/json`, SPEC §2):
 * `[{"measurement", "tags": {k: "v"}, "fields": {k: v}, "time": n}]`.
 *
 * Reading follows DataKit's `JSONPoint`: every JSON number in `fields`
 * becomes a float (JSON cannot tell 3 from 3.0), strings and bools keep
 * their kind, and a field holding an object, array or null carries no value
 * DataKit can use, so it is dropped with a warning. A point needs at least
 * one field. `time` is an integer (kept exact past 2^53) scaled by the
 * `precision` option or by its magnitude; 0 or absent takes the receive
 * time. Keys match case-insensitively and unknown keys are ignored, as Go's
 * `encoding/json` does. A syntax error rejects the body with its line,
 * column and byte offset; a point of the wrong shape is reported by index
 * and the other points are still returned.
 */
import { normalizePoint } from '../normalize.js';
import { Point } from '../point.js';
import { type FieldValue, INT64_MAX, INT64_MIN, UInt } from '../value.js';
import type { DecodeError, DecodeOptions, DecodeResult } from './errors.js';
import {
  bodyText,
  INVALID_JSON,
  isObject,
  jsonType,
  quote,
  ShapeError,
  shapeError,
  syntaxError,
} from './json-body.js';
import { JsonSyntaxError, parseJsonExact } from './json-exact.js';
import { nowNs, toNanos } from './timestamp.js';

/** Decode a plain-JSON body. Never throws on bad input. */
export function decodeJson(body: Uint8Array | string, opts: DecodeOptions): DecodeResult {
  const text = bodyText(body);
  let root: unknown;
  try {
    root = parseJsonExact(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { points: [], errors: [syntaxError(text, e)] };
    throw e;
  }
  const points: Point[] = [];
  const errors: DecodeError[] = [];
  if (root === null) return { points, errors }; // Go reads `null` as an empty list
  if (!Array.isArray(root)) {
    errors.push({ code: INVALID_JSON, message: `expected a JSON array of points, got ${jsonType(root)}` });
    return { points, errors };
  }
  const now = opts.now ?? nowNs();
  for (let i = 0; i < root.length; i++) {
    try {
      const pt = readPoint(root[i], `point[${i}]`, opts, now);
      normalizePoint(pt, opts.category, opts.limits);
      points.push(pt);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      errors.push(shapeError(e));
    }
  }
  return { points, errors };
}

function readPoint(v: unknown, path: string, opts: DecodeOptions, now: bigint): Point {
  if (!isObject(v)) throw new ShapeError(path, `expected an object, got ${jsonType(v)}`);
  let name = '';
  let tags: Record<string, unknown> | null = null;
  let fields: Record<string, unknown> | null = null;
  let time: unknown = null;
  for (const key of Object.keys(v)) {
    const x = v[key];
    switch (key.toLowerCase()) {
      case 'measurement':
        if (x !== null && typeof x !== 'string')
          throw new ShapeError(`${path}.measurement`, `expected a string, got ${jsonType(x)}`);
        name = x ?? '';
        break;
      case 'tags':
        if (x !== null && !isObject(x))
          throw new ShapeError(`${path}.tags`, `expected an object, got ${jsonType(x)}`);
        tags = x;
        break;
      case 'fields':
        if (x !== null && !isObject(x))
          throw new ShapeError(`${path}.fields`, `expected an object, got ${jsonType(x)}`);
        fields = x;
        break;
      case 'time':
        time = x;
        break;
    }
  }
  const pt = new Point(
    name,
    new Map(),
    new Map(),
    readTime(time, `${path}.time`, opts.precision, now),
    opts.category,
  );
  if (tags !== null) {
    for (const k of Object.keys(tags)) {
      const t = tags[k];
      if (t !== null && typeof t !== 'string')
        throw new ShapeError(`${path}.tags.${k}`, `expected a string, got ${jsonType(t)}`);
      pt.tags.set(k, t ?? '');
    }
  }
  const keys = fields === null ? [] : Object.keys(fields);
  if (keys.length === 0) throw new ShapeError(path, 'no fields');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const f = fields![k];
    switch (typeof f) {
      case 'string':
      case 'boolean':
        pt.fields.set(k, f);
        break;
      case 'number':
        if (!Number.isFinite(f)) throw new ShapeError(`${path}.fields.${k}`, 'number out of float64 range');
        pt.fields.set(k, f);
        break;
      case 'bigint':
        pt.fields.set(k, Number(f));
        break;
      default:
        pt.addWarn('invalid_field_value_type', `field(${k}) dropped: ${jsonType(f)} is not a field value`);
    }
  }
  return pt;
}

function readTime(v: unknown, path: string, precision: string | undefined, now: bigint): bigint {
  if (v === null || v === undefined) return now;
  let t: bigint;
  if (typeof v === 'bigint') t = v;
  else if (typeof v === 'number' && Number.isInteger(v)) t = BigInt(v);
  else
    throw new ShapeError(
      path,
      `expected an integer timestamp, got ${typeof v === 'number' ? v : jsonType(v)}`,
    );
  if (t < INT64_MIN || t > INT64_MAX) throw new ShapeError(path, `timestamp ${t} out of int64 range`);
  return t === 0n ? now : toNanos(t, precision);
}

/**
 * Encode `points` in the plain JSON shape DataKit reads. Integers are
 * written as exact JSON numbers (DataKit reads every field number as a
 * float anyway), bytes as their UTF-8 text as DataKit does, arrays as JSON
 * arrays; NaN and ±Inf have no JSON form and are left out, as are nulls.
 * `time` is the exact nanosecond integer.
 */
export function encodeJson(points: readonly Point[]): string {
  let out = '[';
  for (let i = 0; i < points.length; i++) {
    const pt = points[i]!;
    if (i > 0) out += ',';
    out += `{"measurement":${quote(pt.name)}`;
    if (pt.tags.size > 0) {
      out += ',"tags":{';
      let first = true;
      for (const [k, v] of pt.tags) {
        out += `${first ? '' : ','}${quote(k)}:${quote(v)}`;
        first = false;
      }
      out += '}';
    }
    out += ',"fields":{';
    let first = true;
    for (const [k, v] of pt.fields) {
      const j = jsonValue(v);
      if (j === null) continue;
      out += `${first ? '' : ','}${quote(k)}:${j}`;
      first = false;
    }
    out += '}';
    if (pt.time !== 0n) out += `,"time":${pt.time}`;
    out += '}';
  }
  return `${out}]`;
}

/** JSON text of a field value, or null when it has none. */
function jsonValue(v: FieldValue): string | null {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : null;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return null;
      if (v instanceof UInt) return v.v.toString();
      if (v instanceof Uint8Array)
        return quote(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8'));
      return jsonArray(v);
  }
}

function jsonArray(arr: readonly FieldValue[]): string {
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    out += `${i > 0 ? ',' : ''}${jsonValue(arr[i]!) ?? 'null'}`;
  }
  return `${out}]`;
}
