/**
 * PBJSON (`application/pbjson; proto=com.guance.Point`): the protobuf JSON
 * mapping of DataKit's points, as DataKit writes and reads it — a top-level
 * JSON *array* of `PBPoint` objects (not a `{"arr": [...]}` PBPoints):
 *
 * ```json
 * [{"name":"nginx","fields":[{"key":"host","s":"web-1","is_tag":true},
 *   {"key":"code","i":"200"},{"key":"ids","a":{"@type":
 *   "type.googleapis.com/point.Array","arr":[{"i":"1"}]}}],
 *   "time":"1704067200000000000"}]
 * ```
 *
 * int64/uint64 (`i`, `u`, `time`) are decimal strings (numbers accepted),
 * bytes base64, floats numbers or "NaN"/"Infinity"/"-Infinity". Like the
 * protobuf JSON mapping, unknown keys and wrong types are errors
 * (`datakit.invalidJsonPoint`), reported per point by path. Values plkit
 * cannot hold (no value, a mixed-kind array) drop the field with a warning,
 * matching the binary decoder.
 *
 * Decoding uses the native `JSON.parse`; only when a number that must be an
 * exact int64 was written as a JSON number beyond 2^53 is the body parsed
 * again with the exact parser.
 */
import type { Category } from '../category.js';
import { normalizePoint } from '../normalize.js';
import { Point } from '../point.js';
import { type BasicValue, type FieldValue, INT64_MAX, INT64_MIN, UINT64_MAX, UInt } from '../value.js';
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
import { ARRAY_TYPE_URL } from './pb-schema.js';
import { nowNs } from './timestamp.js';
import { compareUtf8 } from './utf8.js';

/** Thrown when `JSON.parse` may have rounded an integer; decoding restarts exactly. */
class NeedExact extends Error {}

/** Decode a PBJSON body. Never throws on bad input. */
export function decodePbjson(body: Uint8Array | string, opts: DecodeOptions): DecodeResult {
  return decode(body, opts, true);
}

/**
 * The points exactly as encoded: no intake checks, a zero time left zero.
 * For tests and tools that need the codec alone.
 */
export function readPbjsonPoints(body: Uint8Array | string, category: Category): DecodeResult {
  return decode(body, { category }, false);
}

function decode(body: Uint8Array | string, opts: DecodeOptions, intake: boolean): DecodeResult {
  const text = bodyText(body);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    try {
      parseJsonExact(text); // for the error's position
    } catch (e) {
      if (e instanceof JsonSyntaxError) return { points: [], errors: [syntaxError(text, e)] };
      throw e;
    }
    return { points: [], errors: [{ code: INVALID_JSON, message: 'invalid JSON' }] };
  }
  try {
    return decodeRoot(root, opts, false, intake);
  } catch (e) {
    if (!(e instanceof NeedExact)) throw e;
    return decodeRoot(parseJsonExact(text), opts, true, intake);
  }
}

function decodeRoot(root: unknown, opts: DecodeOptions, exact: boolean, intake: boolean): DecodeResult {
  const points: Point[] = [];
  const errors: DecodeError[] = [];
  if (root === null) return { points, errors };
  if (!Array.isArray(root)) {
    errors.push({
      code: INVALID_JSON,
      message: `expected a JSON array of points, got ${jsonType(root)}`,
    });
    return { points, errors };
  }
  const now = intake ? (opts.now ?? nowNs()) : 0n;
  const r = new PointReader(opts, exact);
  for (let i = 0; i < root.length; i++) {
    try {
      const pt = r.point(root[i], `point[${i}]`);
      if (intake) {
        if (pt.time === 0n) pt.time = now;
        normalizePoint(pt, opts.category, opts.limits);
      }
      points.push(pt);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      errors.push(shapeError(e));
    }
  }
  return { points, errors };
}

const METRIC_TYPES = new Set(['UNSPECIFIED', 'COUNT', 'RATE', 'GAUGE']);
const VALUE_KEYS = ['i', 'u', 'f', 'b', 'd', 's'] as const;
const INT_RE = /^-?[0-9]+$/;
const FLOAT_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

class PointReader {
  readonly #category: DecodeOptions['category'];
  readonly #exact: boolean;

  constructor(opts: DecodeOptions, exact: boolean) {
    this.#category = opts.category;
    this.#exact = exact;
  }

  point(v: unknown, path: string): Point {
    if (!isObject(v)) throw new ShapeError(path, `expected an object, got ${jsonType(v)}`);
    const pt = new Point('', new Map(), new Map(), 0n, this.#category);
    for (const key of Object.keys(v)) {
      const x = v[key];
      if (x === null) continue; // the JSON mapping reads null as "not set"
      switch (key) {
        case 'name':
          pt.name = this.#string(x, `${path}.name`);
          break;
        case 'fields':
          this.#fields(pt, this.#array(x, `${path}.fields`), `${path}.fields`);
          break;
        case 'time':
          pt.time = this.#int(x, `${path}.time`, INT64_MIN, INT64_MAX);
          break;
        case 'warns':
          this.#warns(pt, this.#array(x, `${path}.warns`), `${path}.warns`);
          break;
        case 'debugs':
          this.#array(x, `${path}.debugs`);
          break;
        default:
          throw new ShapeError(
            `${path}.${key}`,
            key === 'measurement' || key === 'tags'
              ? 'unknown field (a plain JSON point? send it as application/json)'
              : 'unknown field',
          );
      }
    }
    return pt;
  }

  #fields(pt: Point, arr: unknown[], path: string): void {
    for (let i = 0; i < arr.length; i++) {
      const f = arr[i];
      const fp = `${path}[${i}]`;
      if (!isObject(f)) throw new ShapeError(fp, `expected an object, got ${jsonType(f)}`);
      let key = '';
      let value: FieldValue | undefined;
      let isTag = false;
      let problem = '';
      for (const k of Object.keys(f)) {
        const x = f[k];
        if (x === null) continue;
        switch (k) {
          case 'key':
            key = this.#string(x, `${fp}.key`);
            break;
          case 'is_tag':
          case 'isTag':
            isTag = this.#bool(x, `${fp}.${k}`);
            break;
          case 'type':
            if (
              !(typeof x === 'string' && METRIC_TYPES.has(x)) &&
              !(typeof x === 'number' && Number.isInteger(x))
            )
              throw new ShapeError(
                `${fp}.type`,
                `expected a metric type (UNSPECIFIED, COUNT, RATE, GAUGE), got ${JSON.stringify(x)}`,
              );
            break;
          case 'unit':
            this.#string(x, `${fp}.unit`);
            break;
          case 'a': {
            if (value !== undefined || problem !== '') throw new ShapeError(fp, 'more than one value set');
            const got = this.#any(x, `${fp}.a`);
            if (typeof got === 'string') problem = got;
            else value = got;
            break;
          }
          default: {
            if (!(VALUE_KEYS as readonly string[]).includes(k))
              throw new ShapeError(`${fp}.${k}`, 'unknown field');
            if (value !== undefined || problem !== '') throw new ShapeError(fp, 'more than one value set');
            value = this.#basic(k, x, `${fp}.${k}`);
          }
        }
      }
      if (value === undefined) {
        if (problem !== '') pt.addWarn('invalid_field_value_type', `field(${key}) dropped: ${problem}`);
        else pt.addWarn('nil_field', `nil field(${key}) dropped`);
      } else if (isTag && typeof value === 'string') pt.tags.set(key, value);
      else pt.fields.set(key, value);
    }
  }

  #basic(kind: string, x: unknown, path: string): BasicValue {
    switch (kind) {
      case 'i':
        return this.#int(x, path, INT64_MIN, INT64_MAX);
      case 'u':
        return new UInt(this.#int(x, path, 0n, UINT64_MAX));
      case 'f':
        return this.#float(x, path);
      case 'b':
        return this.#bool(x, path);
      case 'd':
        if (typeof x !== 'string' || !BASE64_RE.test(x))
          throw new ShapeError(
            path,
            `expected base64 bytes, got ${typeof x === 'string' ? 'invalid base64' : jsonType(x)}`,
          );
        return new Uint8Array(Buffer.from(x, 'base64'));
      default:
        return this.#string(x, path);
    }
  }

  /** An `Any`: the array, or a string saying why it cannot be a field value. */
  #any(x: unknown, path: string): BasicValue[] | string {
    if (!isObject(x)) throw new ShapeError(path, `expected an object, got ${jsonType(x)}`);
    const type = x['@type'];
    if (type !== ARRAY_TYPE_URL)
      throw new ShapeError(
        `${path}.@type`,
        `expected ${JSON.stringify(ARRAY_TYPE_URL)}, got ${JSON.stringify(type)}`,
      );
    for (const k of Object.keys(x)) {
      if (k !== '@type' && k !== 'arr') throw new ShapeError(`${path}.${k}`, 'unknown field');
    }
    const elems = x.arr === null || x.arr === undefined ? [] : this.#array(x.arr, `${path}.arr`);
    const out: BasicValue[] = [];
    let kind = '';
    for (let i = 0; i < elems.length; i++) {
      const e = elems[i];
      const ep = `${path}.arr[${i}]`;
      if (!isObject(e)) throw new ShapeError(ep, `expected an object, got ${jsonType(e)}`);
      let k = '';
      let v: BasicValue | undefined;
      for (const ek of Object.keys(e)) {
        if (e[ek] === null) continue;
        if (!(VALUE_KEYS as readonly string[]).includes(ek))
          throw new ShapeError(`${ep}.${ek}`, 'unknown field');
        if (v !== undefined) throw new ShapeError(ep, 'more than one value set');
        v = this.#basic(ek, e[ek], `${ep}.${ek}`);
        k = ek;
      }
      if (v === undefined) return `array element ${i} has no value`;
      if (kind === '') kind = k;
      else if (k !== kind) return `mixed types in array ([0]: ${kind}, [${i}]: ${k})`;
      out.push(v);
    }
    return out;
  }

  #warns(pt: Point, arr: unknown[], path: string): void {
    for (let i = 0; i < arr.length; i++) {
      const w = arr[i];
      const wp = `${path}[${i}]`;
      if (!isObject(w)) throw new ShapeError(wp, `expected an object, got ${jsonType(w)}`);
      let type = '';
      let msg = '';
      for (const k of Object.keys(w)) {
        const x = w[k];
        if (x === null) continue;
        if (k === 'type') type = this.#string(x, `${wp}.type`);
        else if (k === 'message' || k === 'msg') msg = this.#string(x, `${wp}.${k}`);
        else throw new ShapeError(`${wp}.${k}`, 'unknown field');
      }
      pt.addWarn(type, msg);
    }
  }

  #string(x: unknown, path: string): string {
    if (typeof x !== 'string') throw new ShapeError(path, `expected a string, got ${jsonType(x)}`);
    return x;
  }

  #bool(x: unknown, path: string): boolean {
    if (typeof x !== 'boolean') throw new ShapeError(path, `expected a boolean, got ${jsonType(x)}`);
    return x;
  }

  #array(x: unknown, path: string): unknown[] {
    if (!Array.isArray(x)) throw new ShapeError(path, `expected an array, got ${jsonType(x)}`);
    return x;
  }

  /** An integer in [min, max], from a decimal string or a JSON number. */
  #int(x: unknown, path: string, min: bigint, max: bigint): bigint {
    let v: bigint;
    if (typeof x === 'string' && INT_RE.test(x)) v = BigInt(x);
    else if (typeof x === 'bigint') v = x;
    else if (typeof x === 'number' && Number.isInteger(x)) {
      if (!Number.isSafeInteger(x) && !this.#exact) throw new NeedExact();
      v = BigInt(x);
    } else {
      throw new ShapeError(path, `expected an integer (decimal string or number), got ${describe(x)}`);
    }
    if (v < min || v > max) throw new ShapeError(path, `${v} out of range [${min}, ${max}]`);
    return v;
  }

  #float(x: unknown, path: string): number {
    if (typeof x === 'number') return x;
    if (typeof x === 'bigint') return Number(x);
    if (typeof x === 'string') {
      if (x === 'NaN') return Number.NaN;
      if (x === 'Infinity') return Number.POSITIVE_INFINITY;
      if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
      if (FLOAT_RE.test(x)) return Number(x);
    }
    throw new ShapeError(path, `expected a number, got ${describe(x)}`);
  }
}

function describe(x: unknown): string {
  return typeof x === 'string' ? JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x) : jsonType(x);
}

/**
 * Encode `points` as PBJSON, the way DataKit's protobuf JSON marshaller
 * does: tags first then fields, each sorted by key; a `Field`'s members in
 * declaration order (`key`, value, `is_tag`); zero scalars left out.
 */
export function encodePbjson(points: readonly Point[]): string {
  let out = '[';
  for (let i = 0; i < points.length; i++) {
    const pt = points[i]!;
    out += i > 0 ? ',{' : '{';
    let sep = '';
    if (pt.name !== '') {
      out += `"name":${quote(pt.name)}`;
      sep = ',';
    }
    if (pt.tags.size > 0 || pt.fields.size > 0) {
      out += `${sep}"fields":[`;
      let first = true;
      const tagKeys = sortedKeys(pt.tags);
      for (let j = 0; j < tagKeys.length; j++) {
        const k = tagKeys[j]!;
        out += `${first ? '' : ','}{"key":${quote(k)},"s":${quote(pt.tags.get(k)!)},"is_tag":true}`;
        first = false;
      }
      const fieldKeys = sortedKeys(pt.fields);
      for (let j = 0; j < fieldKeys.length; j++) {
        const k = fieldKeys[j]!;
        const v = pbjsonValue(pt.fields.get(k)!);
        if (v === null) continue;
        out += `${first ? '' : ','}{"key":${quote(k)},${v}}`;
        first = false;
      }
      out += ']';
      sep = ',';
    }
    if (pt.time !== 0n) {
      out += `${sep}"time":"${pt.time}"`;
      sep = ',';
    }
    const warns = pt.warns;
    if (warns !== null && warns.length > 0) {
      out += `${sep}"warns":[`;
      for (let j = 0; j < warns.length; j++) {
        const w = warns[j]!;
        out += `${j > 0 ? ',' : ''}{"type":${quote(w.type)},"message":${quote(w.msg)}}`;
      }
      out += ']';
    }
    out += '}';
  }
  return `${out}]`;
}

function sortedKeys(m: Map<string, unknown>): string[] {
  return Array.from(m.keys()).sort(compareUtf8);
}

/** `"<kind>":<value>` of a field value, or null when it has none. */
function pbjsonValue(v: FieldValue): string | null {
  switch (typeof v) {
    case 'string':
      return `"s":${quote(v)}`;
    case 'bigint':
      return `"i":"${v}"`;
    case 'number':
      return `"f":${pbjsonFloat(v)}`;
    case 'boolean':
      return v ? '"b":true' : '"b":false';
    default:
      if (v === null) return null;
      if (v instanceof UInt) return `"u":"${v.v}"`;
      if (v instanceof Uint8Array) return `"d":"${base64(v)}"`;
      return `"a":{"@type":"${ARRAY_TYPE_URL}","arr":[${pbjsonArray(v)}]}`;
  }
}

function pbjsonArray(arr: readonly FieldValue[]): string {
  let out = '';
  for (let i = 0; i < arr.length; i++) {
    const e = arr[i]!;
    if (e === null || Array.isArray(e)) continue;
    const v = pbjsonValue(e);
    out += `${out === '' ? '' : ','}{${v}}`;
  }
  return out;
}

function pbjsonFloat(x: number): string {
  if (Number.isFinite(x)) return x === 0 && 1 / x < 0 ? '-0' : String(x);
  return Number.isNaN(x) ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
}

function base64(d: Uint8Array): string {
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64');
}
