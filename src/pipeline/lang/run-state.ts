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
import { Point } from '../../point/point.js';
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

/** A script value as tag text (nil is the empty tag). */
function tagText(v: Value): string {
  return typeof v === 'string' ? v : v === null ? '' : conv2String(v);
}

/**
 * Where a state's point points between runs, so a pooled state does not
 * keep the last point (and its message) alive.
 */
const DETACHED = new Point('', new Map(), new Map(), 0n);

export class RunState {
  pt: Point;
  /** Local variable slots; `undefined` = not set in this run/scope. */
  readonly slots: (Value | undefined)[];
  dropped = false;
  /** 0 while running; 3 after `exit()`. */
  halt = 0;
  statusMapping = true;
  tz: string;
  /** Points made by the run; replaced (not cleared) when a pooled state is reused, as results hand it out. */
  subPoints: Point[] = [];
  services: unknown;
  steps = 0;
  maxSteps: number;
  maxMillis: number;
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

  /**
   * Makes a finished state ready for another run of the same script
   * (`Script.run` keeps one spare state instead of building ~20 fields
   * per point). The run-scoped fields go back to their initial values;
   * `subPoints` is a new array only when the last run handed points out.
   */
  reuse(pt: Point, tz: string, services: unknown, maxSteps: number, maxMillis: number): void {
    this.pt = pt;
    this.tz = tz;
    this.services = services;
    this.maxSteps = maxSteps;
    this.maxMillis = maxMillis;
    this.dropped = false;
    this.halt = 0;
    this.statusMapping = true;
    this.steps = 0;
    this.deadline = 0;
    if (this.subPoints.length !== 0) this.subPoints = [];
  }

  /** Drops what the finished run referenced (point, variables, parsed JSON, scratch). */
  release(): void {
    this.pt = DETACHED;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) slots[i] = undefined;
    this.scratch = null;
    this.memoText = null;
    this.memoDoc = undefined;
  }

  /** A positioned run-time error at `pos`. */
  fault(reason: string, pos: number, end = pos): PlkScriptError {
    return new PlkScriptError('PLK_ERR_RUN', reason, this.source, this.sourceName, pos, end);
  }

  // Key access below skips the tag map while it is empty: most points
  // reach the script with few or no tags, and a size check is cheaper
  // than a hash lookup.

  /** Value of a point key as a script value, or undefined when absent. */
  readPoint(key: string): Value | undefined {
    const pt = this.pt;
    const tags = pt.tags;
    if (tags.size !== 0) {
      const t = tags.get(key);
      if (t !== undefined) return t;
    }
    const f = pt.fields.get(key);
    if (f === undefined || typeof f === 'string') return f;
    return fieldToValue(f);
  }

  hasKey(key: string): boolean {
    const pt = this.pt;
    return (pt.tags.size !== 0 && pt.tags.has(key)) || pt.fields.has(key);
  }

  /** Set a point key: an existing tag stays a tag, anything else is a field. */
  setKey(key: string, v: Value): void {
    const pt = this.pt;
    const tags = pt.tags;
    if (tags.size !== 0 && tags.has(key)) {
      tags.set(key, tagText(v));
      return;
    }
    pt.fields.set(key, typeof v === 'object' && v !== null ? valueToField(v) : v);
  }

  /**
   * `setKey(key, fn(text of key))` for a key read straight from the point
   * (no variable in the way): a missing or nil key is left alone, and the
   * write is skipped when it would store the string already there (a tag,
   * or a string field), which is the usual case for lowercase() on data
   * that is already lower-case.
   */
  mapString(key: string, fn: (s: string) => string): void {
    const pt = this.pt;
    const tags = pt.tags;
    if (tags.size !== 0) {
      const t = tags.get(key);
      if (t !== undefined) {
        const s = fn(t);
        if (s !== t) tags.set(key, s);
        return;
      }
    }
    const f = pt.fields.get(key);
    if (f === undefined || f === null) return;
    const s = fn(typeof f === 'string' ? f : conv2String(fieldToValue(f)));
    if (s !== f) pt.fields.set(key, s);
  }

  /** Set a point key as a tag (value converted to its string form). */
  setTag(key: string, v: Value): void {
    const pt = this.pt;
    const s = tagText(v);
    // DataKit replaces the entry in place; with Maps the field goes and the tag is added
    pt.fields.delete(key);
    pt.tags.set(key, s);
  }

  /** Set a point key as a field even when a tag of that name exists. */
  setField(key: string, v: Value): void {
    const pt = this.pt;
    if (pt.tags.size !== 0) pt.tags.delete(key);
    pt.fields.set(key, typeof v === 'object' && v !== null ? valueToField(v) : v);
  }

  deleteKey(key: string): void {
    const pt = this.pt;
    if (pt.tags.size === 0 || !pt.tags.delete(key)) pt.fields.delete(key);
  }

  /** Rename a key in place; an existing `to` key is replaced. */
  renameKey(from: string, to: string): void {
    if (from === to) return;
    const pt = this.pt;
    const tags = pt.tags;
    const fields = pt.fields;
    if (tags.size !== 0) {
      const t = tags.get(from);
      if (t !== undefined) {
        tags.delete(from);
        fields.delete(to);
        tags.set(to, t);
        return;
      }
    }
    // field values are never undefined (nil is null), so one get tells presence
    const f = fields.get(from);
    if (f === undefined) return;
    fields.delete(from);
    if (tags.size !== 0) tags.delete(to);
    fields.set(to, f);
  }
}
