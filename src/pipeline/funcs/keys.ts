/**
 * Point key functions: add_key, get_key, set_tag, rename, drop_key,
 * set_measurement and the pt_* family (pt_name, pt_kvs_get/set/del/keys).
 * Key arguments name a point key (identifier, `` `quoted` `` or string);
 * reading one sees a local variable of that name first, as DataKit does.
 */
import type { FuncDef } from '../lang/func-api.js';
import { conv2String, toGoBool, type Value } from '../lang/values.js';
import { defineFunc } from './registry.js';

export const addKey = defineFunc({
  name: 'add_key',
  params: [{ name: 'key' }, { name: 'value', optional: true }],
  compile(call) {
    const key = call.key(0);
    const value = call.has(1) ? call.value(1) : call.readKey(0);
    return (r) => {
      r.setKey(key, value(r));
      return null;
    };
  },
});

export const getKey = defineFunc({
  name: 'get_key',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    return (r) => {
      const v = r.readPoint(key);
      return v === undefined ? null : v;
    };
  },
});

export const setTag = defineFunc({
  name: 'set_tag',
  params: [{ name: 'key' }, { name: 'value', optional: true }],
  compile(call) {
    const key = call.key(0);
    const value = call.has(1) ? call.value(1) : call.readKey(0);
    return (r) => {
      r.setTag(key, value(r));
      return null;
    };
  },
});

export const rename = defineFunc({
  name: 'rename',
  params: [{ name: 'new_key' }, { name: 'old_key' }],
  compile(call) {
    const to = call.key(0);
    const from = call.key(1);
    return (r) => {
      r.renameKey(from, to);
      return null;
    };
  },
});

export const dropKey = defineFunc({
  name: 'drop_key',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    return (r) => {
      r.deleteKey(key);
      return null;
    };
  },
});

export const setMeasurement = defineFunc({
  name: 'set_measurement',
  params: [{ name: 'name' }, { name: 'delete_key', optional: true }],
  compile(call) {
    const arg = call.arg(0)!;
    const name = arg.type === 'Identifier' ? call.readKey(0) : call.value(0);
    const srcKey = arg.type === 'Identifier' ? call.key(0) : null;
    const del = call.value(1, false);
    return (r) => {
      const v = name(r);
      if (typeof v === 'string') r.pt.name = v;
      else if (v !== null) r.pt.name = conv2String(v);
      if (srcKey !== null && toGoBool(del(r))) r.deleteKey(srcKey);
      return null;
    };
  },
});

export const ptName = defineFunc({
  name: 'pt_name',
  params: [{ name: 'name', optional: true }],
  compile(call) {
    const name = call.has(0) ? call.value(0) : null;
    // Returns the name after the change (DataKit's TestPtName vectors).
    return (r) => {
      if (name !== null) {
        const v = name(r);
        if (typeof v === 'string') r.pt.name = v;
      }
      return r.pt.name;
    };
  },
});

export const ptKvsGet = defineFunc({
  name: 'pt_kvs_get',
  params: [{ name: 'name' }],
  compile(call) {
    const name = call.value(0);
    return (r) => {
      const k = name(r);
      if (typeof k !== 'string') return null;
      const v = r.readPoint(k);
      return v === undefined ? null : v;
    };
  },
});

export const ptKvsSet = defineFunc({
  name: 'pt_kvs_set',
  params: [{ name: 'name' }, { name: 'value' }, { name: 'as_tag', optional: true }],
  compile(call) {
    const name = call.value(0);
    const value = call.value(1);
    const asTag = call.value(2, false);
    return (r) => {
      const k = name(r);
      if (typeof k !== 'string') return false;
      const v = value(r);
      if (toGoBool(asTag(r))) r.setTag(k, v);
      else if (r.pt.tags.has(k)) r.setTag(k, v);
      else r.setField(k, v);
      return true;
    };
  },
});

export const ptKvsDel = defineFunc({
  name: 'pt_kvs_del',
  params: [{ name: 'name' }],
  compile(call) {
    const name = call.value(0);
    return (r) => {
      const k = name(r);
      if (typeof k === 'string') r.deleteKey(k);
      return null;
    };
  },
});

export const ptKvsKeys = defineFunc({
  name: 'pt_kvs_keys',
  params: [
    { name: 'tags', optional: true },
    { name: 'fields', optional: true },
  ],
  compile(call) {
    const tags = call.value(0, true);
    const fields = call.value(1, true);
    return (r) => {
      const out: Value[] = [];
      if (toGoBool(tags(r))) for (const k of r.pt.tags.keys()) out.push(k);
      if (toGoBool(fields(r))) for (const k of r.pt.fields.keys()) out.push(k);
      return out;
    };
  },
});

export const KEY_FUNCS: readonly FuncDef[] = [
  addKey,
  getKey,
  setTag,
  rename,
  dropKey,
  setMeasurement,
  ptName,
  ptKvsGet,
  ptKvsSet,
  ptKvsDel,
  ptKvsKeys,
];
