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

/** Apply the intake checks of `category` to `pt` in place. */
export function normalizePoint(pt: Point, category: Category, limits: IntakeLimits = DEFAULT_LIMITS): void {
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

  if (needsTagWork(pt.tags, rules, limits)) normalizeTags(pt, rules, limits);
  if (needsFieldWork(pt, rules, limits)) normalizeFields(pt, rules, limits);

  for (const [k, v] of rules.required) {
    if (!pt.tags.has(k) && !pt.fields.has(k)) {
      pt.fields.set(k, v);
    }
  }
}

function keyNeedsWork(k: string, rules: CategoryRules, maxLen: number): boolean {
  return (
    k === '' ||
    k.length * 3 > maxLen ||
    k.endsWith('\\') ||
    k.includes('\n') ||
    (!rules.dotInKey && k.includes('.'))
  );
}

function needsTagWork(tags: Map<string, string>, rules: CategoryRules, limits: IntakeLimits): boolean {
  for (const [k, v] of tags) {
    if (keyNeedsWork(k, rules, limits.maxTagKeyLen)) return true;
    if (v.length * 3 > limits.maxTagValueLen || v.endsWith('\\') || v.includes('\n')) return true;
  }
  return false;
}

function needsFieldWork(pt: Point, rules: CategoryRules, limits: IntakeLimits): boolean {
  for (const [k, v] of pt.fields) {
    if (keyNeedsWork(k, rules, limits.maxFieldKeyLen) || pt.tags.has(k)) return true;
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
