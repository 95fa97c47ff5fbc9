/**
 * `group_between` and `group_in` decide whether a value falls in a range or
 * a set; the engine then writes the replacement value. DataKit converts the
 * value with `cast.ToFloat64` for ranges (strings parsed, true = 1, false,
 * nil and anything unparsable = 0) and compares with `reflect.DeepEqual`
 * for sets, so an int 200 is not in a set holding the float 200.0.
 */
import { parseGoFloat } from './go-parse-float.js';
import type { LibValue } from './value.js';

/** spf13/cast `ToFloat64` (errors become 0, as DataKit ignores them). */
export function castToFloat64(v: LibValue): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string': {
      const f = parseGoFloat(v);
      return f instanceof Error ? 0 : f;
    }
    default:
      return 0;
  }
}

/** `group_between`: start <= value <= end after the float conversion. */
export function groupBetween(value: LibValue, start: number, end: number): boolean {
  const f = castToFloat64(value);
  return f >= start && f <= end;
}

/** Go's `reflect.DeepEqual` on script values: same kind and equal contents. */
export function deepEqual(a: LibValue, b: LibValue): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const bm = b as { [k: string]: LibValue };
  if (ka.length !== Object.keys(bm).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(bm, k) || !deepEqual(a[k]!, bm[k]!)) return false;
  }
  return true;
}

/** `group_in`: the value deep-equals one of the set's elements. */
export function groupIn(value: LibValue, set: readonly LibValue[]): boolean {
  for (let i = 0; i < set.length; i++) if (deepEqual(value, set[i]!)) return true;
  return false;
}
