/**
 * cast(key, type): convert a key's value to int, float, str or bool the
 * way DataKit does (spf13/cast; "int" goes through float, so "12.7" → 12;
 * unparsable text gives the zero value). The target is fixed at compile
 * time.
 */
import type { FuncDef } from '../lang/func-api.js';
import { floatToInt64, toGoBool, toGoFloat, toGoString, type Value } from '../lang/values.js';
import { defineFunc } from './registry.js';

type Caster = (v: Value) => Value;

/**
 * A plain run of up to 15 decimal digits as an int, else null. Such text
 * is exact as a float, so this is what the float route gives for the
 * common case (a status code, a byte count) without the syntax regex.
 */
function smallDigits(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 15) return null;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    x = x * 10 + d;
  }
  return BigInt(x);
}

function toInt(v: Value): Value {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') {
    const d = smallDigits(v);
    if (d !== null) return d;
  }
  return floatToInt64(toGoFloat(v));
}

const CASTERS: Record<string, Caster> = {
  int: toInt,
  float: (v) => toGoFloat(v),
  bool: (v) => toGoBool(v),
  str: (v) => toGoString(v),
  string: (v) => toGoString(v),
};

export function castTo(type: string): Caster | undefined {
  const t = type.toLowerCase();
  return Object.hasOwn(CASTERS, t) ? CASTERS[t] : undefined;
}

export const cast = defineFunc({
  name: 'cast',
  params: [{ name: 'key' }, { name: 'type' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const type = call.stringLiteral(1, 'param type');
    // own keys only: "constructor" or "toString" are not cast targets
    const found = Object.hasOwn(CASTERS, type) ? CASTERS[type] : undefined;
    if (found === undefined) return call.fail(`unsupported data type: ${type}`, 1);
    const caster = found;
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      r.setKey(key, caster(v));
      return null;
    };
  },
});

export const CAST_FUNCS: readonly FuncDef[] = [cast];
