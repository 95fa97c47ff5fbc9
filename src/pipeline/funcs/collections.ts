/**
 * List and map functions: append (returns a new list), delete (removes a
 * map key in place) and value_type.
 */
import type { FuncDef } from '../lang/func-api.js';
import { isMap, kindOfValue } from '../lang/values.js';
import { defineFunc } from './registry.js';

export const append = defineFunc({
  name: 'append',
  params: [{ name: 'arr' }, { name: 'elem' }],
  compile(call) {
    const arr = call.value(0);
    const elem = call.value(1);
    return (r) => {
      const a = arr(r);
      const e = elem(r);
      if (!Array.isArray(a)) return a;
      const out = a.slice();
      out.push(e);
      return out;
    };
  },
});

export const del = defineFunc({
  name: 'delete',
  params: [{ name: 'map' }, { name: 'key' }],
  compile(call) {
    const m = call.value(0);
    const key = call.stringLiteral(1, 'param key');
    return (r) => {
      const v = m(r);
      if (isMap(v)) delete v[key];
      return null;
    };
  },
});

export const valueType = defineFunc({
  name: 'value_type',
  params: [{ name: 'val' }],
  compile(call) {
    const val = call.value(0);
    return (r) => {
      const v = val(r);
      return v === null ? '' : kindOfValue(v);
    };
  },
});

export const COLLECTION_FUNCS: readonly FuncDef[] = [append, del, valueType];
