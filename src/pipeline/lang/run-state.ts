/**
 * The per-run context every compiled closure and built-in function gets:
 * the point under work, the local variable slots, flags the script sets
 * (dropped, exit, status mapping), the local time zone, sub-points and the
 * `services` object for outside state. One `RunState` per point run; no
 * globals.
 *
 * Point access follows DataKit's ptinput semantics: reads see tags first,
 * then fields (uint reads as int, bytes as str, arrays as lists); writes
 * keep a tag a tag, store list/map values as their JSON text, and a nil
 * field stays nil.
 */
import type { Point } from '../../point/point.js';
import { type FieldValue, UInt } from '../../point/value.js';
import { PlkScriptError } from './errors.js';
import { conv2String, type Value } from './values.js';

const utf8 = new TextDecoder();

/** Run-time limits (sandbox). */
export interface RunLimits {
  /** Loop iterations per run. */
  maxSteps: number;
  /** Wall-clock budget per run in milliseconds. */
  maxMillis: number;
}

export const DEFAULT_LIMITS: Readonly<RunLimits> = { maxSteps: 1_000_000, maxMillis: 5_000 };

export function fieldToValue(v: FieldValue): Value {
  switch (typeof v) {
    case 'string':
    case 'bigint':
    case 'number':
    case 'boolean':
      return v;
    default:
      if (v === null) return null;
      if (v instanceof UInt) return BigInt.asIntN(64, v.v);
      if (v instanceof Uint8Array) return utf8.decode(v);
      return (v as FieldValue[]).map(fieldToValue);
  }
}

/** A script value as a field value: list/map become their JSON text. */
export function valueToField(v: Value): FieldValue {
  if (typeof v === 'object' && v !== null) {
    try {
      return conv2String(v);
    } catch {
      return null;
    }
  }
  return v;
}

export class RunState {
  pt: Point;
  /** Local variable slots; `undefined` = not set in this run/scope. */
  slots: (Value | undefined)[];
  dropped = false;
  /** 0 while running; 3 after `exit()`. */
  halt = 0;
  statusMapping = true;
  readonly tz: string;
  readonly subPoints: Point[] = [];
  readonly services: unknown;
  steps = 0;
  readonly maxSteps: number;
  readonly maxMillis: number;
  /**
   * Wall-clock deadline, set lazily at the first budget check (after 1024
   * loop steps) so straight-line runs never read the clock.
   */
  deadline = 0;
  readonly source: string;
  readonly sourceName: string;
  /** Per-run scratch for functions (keyed by the function's own symbol). */
  scratch: Map<unknown, unknown> | null = null;
  /** Last JSON text parsed in this run and its value, so repeated json() calls parse once. */
  memoText: string | null = null;
  memoDoc: unknown = undefined;

  constructor(
    pt: Point,
    nslots: number,
    tz: string,
    services: unknown,
    limits: RunLimits,
    source: string,
    sourceName: string,
  ) {
    this.pt = pt;
    this.slots = new Array(nslots);
    this.tz = tz;
    this.services = services;
    this.maxSteps = limits.maxSteps;
    this.maxMillis = limits.maxMillis;
    this.source = source;
    this.sourceName = sourceName;
  }

  /** A positioned run-time error at `pos`. */
  fault(reason: string, pos: number, end = pos): PlkScriptError {
    return new PlkScriptError('PLK_ERR_RUN', reason, this.source, this.sourceName, pos, end);
  }

  /** Value of a point key as a script value, or undefined when absent. */
  readPoint(key: string): Value | undefined {
    const pt = this.pt;
    const t = pt.tags.get(key);
    if (t !== undefined) return t;
    const f = pt.fields.get(key);
    if (f === undefined) return undefined;
    return fieldToValue(f);
  }

  hasKey(key: string): boolean {
    return this.pt.tags.has(key) || this.pt.fields.has(key);
  }

  /** Set a point key: an existing tag stays a tag, anything else is a field. */
  setKey(key: string, v: Value): void {
    const pt = this.pt;
    if (pt.tags.has(key)) {
      pt.tags.set(key, v === null ? '' : conv2String(v));
      return;
    }
    pt.fields.set(key, valueToField(v));
  }

  /** Set a point key as a tag (value converted to its string form). */
  setTag(key: string, v: Value): void {
    const pt = this.pt;
    const s = v === null ? '' : conv2String(v);
    if (pt.fields.has(key)) {
      // DataKit replaces the entry in place; as a Map we rebuild to keep order simple
      pt.fields.delete(key);
    }
    pt.tags.set(key, s);
  }

  /** Set a point key as a field even when a tag of that name exists. */
  setField(key: string, v: Value): void {
    const pt = this.pt;
    if (pt.tags.has(key)) pt.tags.delete(key);
    pt.fields.set(key, valueToField(v));
  }

  deleteKey(key: string): void {
    if (!this.pt.tags.delete(key)) this.pt.fields.delete(key);
  }

  /** Rename a key in place; an existing `to` key is replaced. */
  renameKey(from: string, to: string): void {
    if (from === to) return;
    const pt = this.pt;
    const t = pt.tags.get(from);
    if (t !== undefined) {
      pt.tags.delete(from);
      pt.fields.delete(to);
      pt.tags.set(to, t);
      return;
    }
    if (!pt.fields.has(from)) return;
    const f = pt.fields.get(from)!;
    pt.fields.delete(from);
    pt.tags.delete(to);
    pt.fields.set(to, f);
  }
}
