/**
 * Intake checks DataKit applies to every point written to it (SPEC §1):
 * default name, key and value limits, dots in keys, key clashes, metric
 * string fields and the keys a category requires. Each change is recorded
 * as a warning on the point, like DataKit's `warns`.
 */
import type { Category } from './category.js';
import type { Point } from './point.js';
import type { FieldValue } from './value.js';

export const DEFAULT_MEASUREMENT = '__default';

export interface IntakeLimits {
  maxTags: number;
  maxFields: number;
  maxTagKeyLen: number;
  maxFieldKeyLen: number;
  maxTagValueLen: number;
  maxFieldValueLen: number;
  maxMeasurementLen: number;
}

export const DEFAULT_LIMITS: Readonly<IntakeLimits> = {
  maxTags: 256,
  maxFields: 1024,
  maxTagKeyLen: 256,
  maxFieldKeyLen: 256,
  maxTagValueLen: 1024,
  maxFieldValueLen: 32 * 1024 * 1024,
  maxMeasurementLen: 1024,
};

interface CategoryRules {
  dotInKey: boolean;
  stringFields: boolean;
  required: readonly [string, string][];
}

const RULES_DEFAULT: CategoryRules = { dotInKey: false, stringFields: true, required: [] };
const RULES: Partial<Record<Category, CategoryRules>> = {
  metric: { dotInKey: true, stringFields: false, required: [] },
  logging: { dotInKey: false, stringFields: true, required: [['status', 'info']] },
  object: { dotInKey: false, stringFields: true, required: [['name', 'default']] },
  custom_object: { dotInKey: false, stringFields: true, required: [['name', 'default']] },
};

const utf8 = new TextEncoder();
const utf8dec = new TextDecoder();

/** UTF-8 byte length, skipping the encode when the string is surely short. */
function byteLen(s: string, limit: number): number {
  if (s.length * 3 <= limit) return s.length; // cannot exceed the limit
  return Buffer.byteLength(s, 'utf8');
}

function truncBytes(s: string, n: number): string {
  return utf8dec.decode(utf8.encode(s).subarray(0, n));
}

/** Remove trailing backslashes and turn newlines into spaces (DataKit's adjustKV). */
function adjustKV(s: string): string {
  if (s.endsWith('\\')) s = s.replace(/\\+$/, '');
  if (s.includes('\n')) s = s.replaceAll('\n', ' ');
  return s;
}

function sortedKeys<V>(m: Map<string, V>): string[] {
  // Go sorts keys bytewise; for UTF-16 strings outside the BMP that order
  // matches code point order, which `<` on strings approximates closely
  // enough for key trimming.
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Hints: what a decoder learnt about a point while reading it, so that the
 * checks it settles are not done twice (a pass over every key costs about
 * as much as decoding them). Without hints every check runs.
 *
 * `HINT_PLAIN_KEYS`: no tag or field key is empty or holds a `.`, newline
 * or backslash, and no tag value holds a newline or backslash.
 */
export const HINT_PLAIN_KEYS = 1;
/**
 * `HINT_CLEAN_ENTRIES`: besides `HINT_PLAIN_KEYS`, every tag and field
 * passed `IntakeScreen` as it was added and no field key is also a tag key,
 * so no entry needs work; only the point-level checks remain.
 */
export const HINT_CLEAN_ENTRIES = 2;

/**
 * The per-entry part of the intake checks, for decoders to apply as they
 * add each tag and field (lengths they already hold, values they just
 * made). Passing means the entry needs no work *given* plain keys; it may
 * reject entries that would in fact pass (lengths are compared as UTF-16
 * units times three), never the reverse. Make one per body.
 */
export class IntakeScreen {
  readonly #maxTagKey: number;
  readonly #maxTagValue: number;
  readonly #maxFieldKey: number;
  readonly #maxString: number;
  readonly #maxBytes: number;
  readonly #stringFields: boolean;

  constructor(category: Category, limits: IntakeLimits = DEFAULT_LIMITS) {
    // A string of n UTF-16 units has at most 3n UTF-8 bytes.
    this.#maxTagKey = Math.floor(limits.maxTagKeyLen / 3);
    this.#maxTagValue = Math.floor(limits.maxTagValueLen / 3);
    this.#maxFieldKey = Math.floor(limits.maxFieldKeyLen / 3);
    this.#maxString = Math.floor(limits.maxFieldValueLen / 3);
    this.#maxBytes = limits.maxFieldValueLen;
    this.#stringFields = (RULES[category] ?? RULES_DEFAULT).stringFields;
  }

  /** A tag with a plain key and value needs no work. */
  tag(key: string, value: string): boolean {
    return key.length <= this.#maxTagKey && value.length <= this.#maxTagValue;
  }

  /** A field with a plain key needs no work (clashes with tags are the caller's to check). */
  field(key: string, value: FieldValue): boolean {
    if (key.length > this.#maxFieldKey) return false;
    switch (typeof value) {
      case 'string':
        return this.#stringFields && value.length <= this.#maxString;
      case 'number':
        return value !== Number.POSITIVE_INFINITY && value !== Number.NEGATIVE_INFINITY;
      case 'object':
        if (value instanceof Uint8Array) return this.#stringFields && value.length <= this.#maxBytes;
        return true;
      default:
        return true;
    }
  }
}

/** Apply the intake checks of `category` to `pt` in place. `hints`: see `HINT_PLAIN_KEYS`. */
export function normalizePoint(
  pt: Point,
  category: Category,
  limits: IntakeLimits = DEFAULT_LIMITS,
  hints = 0,
): void {
  const rules = RULES[category] ?? RULES_DEFAULT;
  pt.category = category;

  if (pt.name === '') {
    pt.addWarn('invalid_measurement', `empty measurement, use ${DEFAULT_MEASUREMENT}`);
    pt.name = DEFAULT_MEASUREMENT;
  } else if (byteLen(pt.name, limits.maxMeasurementLen) > limits.maxMeasurementLen) {
    pt.addWarn('invalid_measurement', `exceed max measurement length(${limits.maxMeasurementLen}), trimmed`);
    pt.name = truncBytes(pt.name, limits.maxMeasurementLen);
  }

  if (pt.fields.size > limits.maxFields) {
    pt.addWarn('exceed_max_fields', `exceed max field count(${limits.maxFields}), got ${pt.fields.size}`);
    const keep = new Set(sortedKeys(pt.fields).slice(0, limits.maxFields));
    for (const k of pt.fields.keys()) if (!keep.has(k)) pt.fields.delete(k);
  }
  if (pt.tags.size > limits.maxTags) {
    pt.addWarn('exceed_max_tags', `exceed max tag count(${limits.maxTags}), got ${pt.tags.size}`);
    const keep = new Set(sortedKeys(pt.tags).slice(0, limits.maxTags));
    for (const k of pt.tags.keys()) if (!keep.has(k)) pt.tags.delete(k);
  }

  if ((hints & HINT_CLEAN_ENTRIES) === 0) {
    const plain = (hints & HINT_PLAIN_KEYS) !== 0;
    if (pt.tags.size !== 0 && needsTagWork(pt.tags, rules, limits, plain)) normalizeTags(pt, rules, limits);
    if (needsFieldWork(pt, rules, limits, plain)) normalizeFields(pt, rules, limits);
  }

  const required = rules.required;
  for (let i = 0; i < required.length; i++) {
    const [k, v] = required[i]!;
    if (!pt.fields.has(k) && !pt.tags.has(k)) {
      pt.fields.set(k, v);
    }
  }
}

const LF = 10;
const DOT = 46;
const BACKSLASH = 92;
/** Below this length a char loop beats the native `includes`. */
const SHORT = 32;

/**
 * Whether key `k` must be fixed: empty, possibly too long, a trailing
 * backslash, a newline, or a dot where dots are not allowed. Keys are
 * short, so one char pass replaces several native searches.
 */
function keyNeedsWork(k: string, dotInKey: boolean, maxLen: number, plain: boolean): boolean {
  const n = k.length;
  if (n === 0 || n * 3 > maxLen) return true;
  if (plain) return false;
  if (k.charCodeAt(n - 1) === BACKSLASH) return true;
  if (n > SHORT) return k.includes('\n') || (!dotInKey && k.includes('.'));
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c === LF || (c === DOT && !dotInKey)) return true;
  }
  return false;
}

/** Whether tag value `v` must be fixed: possibly too long, a trailing backslash or a newline. */
function tagValueNeedsWork(v: string, maxLen: number, plain: boolean): boolean {
  const n = v.length;
  if (n * 3 > maxLen) return true;
  if (plain || n === 0) return false;
  if (v.charCodeAt(n - 1) === BACKSLASH) return true;
  if (n > SHORT) return v.includes('\n');
  for (let i = 0; i < n; i++) if (v.charCodeAt(i) === LF) return true;
  return false;
}

function needsTagWork(
  tags: Map<string, string>,
  rules: CategoryRules,
  limits: IntakeLimits,
  plain: boolean,
): boolean {
  const dotInKey = rules.dotInKey;
  for (const [k, v] of tags) {
    if (keyNeedsWork(k, dotInKey, limits.maxTagKeyLen, plain)) return true;
    if (tagValueNeedsWork(v, limits.maxTagValueLen, plain)) return true;
  }
  return false;
}

function needsFieldWork(pt: Point, rules: CategoryRules, limits: IntakeLimits, plain: boolean): boolean {
  const fields = pt.fields;
  const tags = pt.tags;
  const checkTags = tags.size !== 0;
  const dotInKey = rules.dotInKey;
  for (const [k, v] of fields) {
    if (keyNeedsWork(k, dotInKey, limits.maxFieldKeyLen, plain) || (checkTags && tags.has(k))) return true;
    if (typeof v === 'string') {
      if (!rules.stringFields || v.length * 3 > limits.maxFieldValueLen) return true;
    } else if (typeof v === 'number') {
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) return true;
    } else if (v instanceof Uint8Array) {
      if (!rules.stringFields || v.length > limits.maxFieldValueLen) return true;
    }
  }
  return false;
}

/** Fix one key; returns the new key or null when the entry must be dropped. */
function fixKey(
  pt: Point,
  k: string,
  maxLen: number,
  rules: CategoryRules,
  what: 'tag' | 'field',
  taken: (key: string) => boolean,
): string | null {
  let key = k;
  if (byteLen(key, maxLen) > maxLen) {
    key = truncBytes(key, maxLen);
    pt.addWarn(`exceed_max_${what}_key_len`, `exceed max ${what} key length(${maxLen}), key truncated`);
  }
  const adjusted = adjustKV(key);
  if (adjusted !== key) {
    pt.addWarn(`invalid_${what}_key`, `invalid ${what} key ${JSON.stringify(k)}: trailing \\ or newline`);
    key = adjusted;
  }
  if (!rules.dotInKey && key.includes('.')) {
    pt.addWarn(`invalid_${what}_key`, `invalid ${what} key \`${key}': found \`.'`);
    key = key.replaceAll('.', '_');
  }
  if (key === '') {
    pt.addWarn('key_disabled', `empty ${what} key disabled`);
    return null;
  }
  if (key !== k && taken(key)) {
    pt.addWarn(`invalid_${what}_key`, `${what} key ${JSON.stringify(key)} exists after adjust`);
    return null;
  }
  return key;
}

function normalizeTags(pt: Point, rules: CategoryRules, limits: IntakeLimits): void {
  const out = new Map<string, string>();
  const orig = pt.tags;
  for (const [k, v0] of orig) {
    const key = fixKey(pt, k, limits.maxTagKeyLen, rules, 'tag', (x) => out.has(x) || orig.has(x));
    if (key === null) continue;
    let v = adjustKV(v0);
    if (v !== v0) pt.addWarn('nr_or_tail_escape', `invalid tag value ${JSON.stringify(v0)}`);
    if (byteLen(v, limits.maxTagValueLen) > limits.maxTagValueLen) {
      pt.addWarn(
        'exceed_max_tag_value_len',
        `exceed max tag value length(${limits.maxTagValueLen}), truncated`,
      );
      v = truncBytes(v, limits.maxTagValueLen);
    }
    out.set(key, v);
  }
  pt.tags = out;
}

function normalizeFields(pt: Point, rules: CategoryRules, limits: IntakeLimits): void {
  const out = new Map<string, FieldValue>();
  const orig = pt.fields;
  const tags = pt.tags;
  for (const [k, v0] of orig) {
    const key = fixKey(
      pt,
      k,
      limits.maxFieldKeyLen,
      rules,
      'field',
      (x) => out.has(x) || orig.has(x) || tags.has(x),
    );
    if (key === null) continue;
    if (tags.has(key)) {
      pt.addWarn('key_name_conflict', `same key (${JSON.stringify(key)}) as tag and field, field dropped`);
      continue;
    }
    let v = v0;
    if (typeof v === 'string') {
      if (!rules.stringFields) {
        pt.addWarn('invalid_field_value_type', `field(${key}) dropped with string value`);
        continue;
      }
      if (byteLen(v, limits.maxFieldValueLen) > limits.maxFieldValueLen) {
        pt.addWarn('exceed_max_field_value_len', `field (${key}) exceeds max value length, truncated`);
        v = truncBytes(v, limits.maxFieldValueLen);
      }
    } else if (v instanceof Uint8Array) {
      if (!rules.stringFields) {
        pt.addWarn('invalid_field_value_type', `field(${key}) dropped with bytes value`);
        continue;
      }
      if (v.length > limits.maxFieldValueLen) {
        pt.addWarn('exceed_max_field_value_len', `field (${key}) exceeds max value length, truncated`);
        v = v.subarray(0, limits.maxFieldValueLen);
      }
    } else if (v === Number.POSITIVE_INFINITY) {
      pt.addWarn('inf_convert_to_max_value', `+inf value from ${JSON.stringify(key)} convert to max-uint64`);
      v = 2 ** 64;
    } else if (v === Number.NEGATIVE_INFINITY) {
      pt.addWarn('inf_convert_to_min_value', `-inf value from ${JSON.stringify(key)} convert to min-int64`);
      v = -(2 ** 63);
    }
    out.set(key, v);
  }
  pt.fields = out;
}
