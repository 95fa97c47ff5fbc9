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

const CASTERS: Record<string, Caster> = {
  int: (v) => (typeof v === 'bigint' ? v : floatToInt64(toGoFloat(v))),
  float: (v) => toGoFloat(v),
  bool: (v) => toGoBool(v),
  str: (v) => toGoString(v),
  string: (v) => toGoString(v),
};

export function castTo(type: string): Caster | undefined {
  return CASTERS[type.toLowerCase()];
}

export const cast = defineFunc({
  name: 'cast',
  params: [{ name: 'key' }, { name: 'type' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const type = call.stringLiteral(1, 'param type');
    const caster = CASTERS[type];
    if (caster === undefined) call.fail(`unsupported data type: ${type}`, 1);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      r.setKey(key, caster(v));
      return null;
    };
  },
});

export const CAST_FUNCS: readonly FuncDef[] = [cast];
