/**
 * `kv_split`: splits text into fields on a Go regexp (default " "), each
 * field into key and value on another (default "=", first match only),
 * trims keys and values by cutsets, keeps only `include_keys` and prefixes
 * the kept keys. DataKit does nothing at all when `include_keys` is empty,
 * so neither does this.
 */
import { compileGoRegexp, type GoRegexpError, goSplit } from './go-regexp.js';

function cutsetOf(cutset: string): Set<number> {
  const set = new Set<number>();
  for (const ch of cutset) set.add(ch.codePointAt(0)!);
  return set;
}

/** Go's `strings.Trim(s, cutset)`: strips runes in the cutset from both ends. */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = cutsetOf(cutset);
  let start = 0;
  let end = s.length;
  while (start < end) {
    const cp = s.codePointAt(start)!;
    if (!set.has(cp)) break;
    start += cp > 0xffff ? 2 : 1;
  }
  while (end > start) {
    let cp = s.charCodeAt(end - 1);
    let w = 1;
    if (cp >= 0xdc00 && cp <= 0xdfff && end - 2 >= start) {
      const hi = s.charCodeAt(end - 2);
      if (hi >= 0xd800 && hi <= 0xdbff) {
        cp = (hi - 0xd800) * 0x400 + (cp - 0xdc00) + 0x10000;
        w = 2;
      }
    }
    if (!set.has(cp)) break;
    end -= w;
  }
  return s.slice(start, end);
}

/**
 * The key/value pairs `kv_split` would add, in first-seen key order (a
 * repeated key keeps its last value). Patterns use Go syntax; a pattern that
 * does not compile is an error, as it is a compile error in DataKit.
 */
export function kvSplit(
  text: string,
  fieldSplit = ' ',
  valueSplit = '=',
  trimKey = '',
  trimValue = '',
  includeKeys: readonly string[] = [],
  prefix = '',
): Map<string, string> | GoRegexpError {
  const fieldRe = compileGoRegexp(fieldSplit);
  if (fieldRe instanceof Error) return fieldRe;
  const valueRe = compileGoRegexp(valueSplit);
  if (valueRe instanceof Error) return valueRe;
  const out = new Map<string, string>();
  if (text === '' || includeKeys.length === 0) return out;
  const include = new Set(includeKeys);
  const fields = goSplit(fieldRe, text, -1);
  for (let i = 0; i < fields.length; i++) {
    const kv = goSplit(valueRe, fields[i]!, 2);
    if (kv.length !== 2) continue;
    const key = trimCutset(kv[0]!, trimKey);
    if (key === '' || !include.has(key)) continue;
    const value = trimValue === '' ? kv[1]! : trimCutset(kv[1]!, trimValue);
    out.set(prefix + key, value);
  }
  return out;
}
