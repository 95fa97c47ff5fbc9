/**
 * String functions: lowercase, uppercase, trim, replace, len, strlen,
 * match, nullif. Key functions (lowercase, trim, …) read the key (local
 * variable first, then the point) and write the result to the point.
 */
import type { FuncDef } from '../lang/func-api.js';
import { conv2String, deepEqual, isMap, type Value } from '../lang/values.js';
import { compileRe2, goReplacer } from './regex.js';
import { defineFunc } from './registry.js';

/** Go's strings.Trim cutset semantics: strip any of these characters from both ends. */
function trimSet(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

function keyStringFunc(name: string, fn: (s: string) => string): FuncDef {
  return defineFunc({
    name,
    params: [{ name: 'key' }],
    compile(call) {
      const key = call.key(0);
      if (!call.shadowed(0)) {
        return (r) => {
          r.mapString(key, fn);
          return null;
        };
      }
      const read = call.lookupKey(0);
      return (r) => {
        const v = read(r);
        if (v === undefined || v === null) return null;
        r.setKey(key, fn(conv2String(v)));
        return null;
      };
    },
  });
}

export const lowercase = keyStringFunc('lowercase', (s) => s.toLowerCase());
export const uppercase = keyStringFunc('uppercase', (s) => s.toUpperCase());

export const trim = defineFunc({
  name: 'trim',
  params: [{ name: 'key' }, { name: 'cutset', optional: true }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const cutset = call.value(1, '');
    return (r) => {
      const v = read(r);
      if (v === undefined || v === null) return null;
      const cs = cutset(r);
      const s = conv2String(v);
      r.setKey(key, typeof cs === 'string' && cs !== '' ? trimSet(s, cs) : s.trim());
      return null;
    };
  },
});

export const replace = defineFunc({
  name: 'replace',
  params: [{ name: 'key' }, { name: 'regex' }, { name: 'replacement' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const pattern = call.stringLiteral(1, 'param regex');
    const re = compileRe2(pattern, true);
    if (re instanceof Error) return call.fail(`invalid regex: ${re.message}`, 1);
    const replacement = call.value(2);
    let lastTpl: string | null = null;
    let lastFn: ReturnType<typeof goReplacer> | null = null;
    return (r) => {
      const v = read(r);
      if (typeof v !== 'string') return null;
      const tpl = replacement(r);
      if (typeof tpl !== 'string') return null;
      if (tpl !== lastTpl) {
        lastTpl = tpl;
        lastFn = goReplacer(tpl);
      }
      re.lastIndex = 0;
      r.setKey(key, v.replace(re, lastFn!));
      return null;
    };
  },
});

export const len = defineFunc({
  name: 'len',
  params: [{ name: 'val' }],
  compile(call) {
    const val = call.value(0);
    return (r) => {
      const v = val(r);
      if (typeof v === 'string') return BigInt(Buffer.byteLength(v, 'utf8'));
      if (Array.isArray(v)) return BigInt(v.length);
      if (isMap(v)) return BigInt(Object.keys(v).length);
      return 0n;
    };
  },
});

export const strlen = defineFunc({
  name: 'strlen',
  params: [{ name: 'val' }],
  compile(call) {
    const val = call.value(0);
    return (r) => {
      const v = val(r);
      if (typeof v !== 'string') return 0n;
      let n = 0;
      for (const _ of v) n++;
      return BigInt(n);
    };
  },
});

export const match = defineFunc({
  name: 'match',
  params: [{ name: 'pattern' }, { name: 's' }],
  compile(call) {
    const pattern = call.stringLiteral(0, 'param pattern');
    const re = compileRe2(pattern);
    if (re instanceof Error) return call.fail(`invalid regex: ${re.message}`, 0);
    const s = call.value(1);
    return (r) => {
      const v = s(r);
      if (typeof v !== 'string') return false;
      return re.test(v);
    };
  },
});

export const nullif = defineFunc({
  name: 'nullif',
  params: [{ name: 'key' }, { name: 'value' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const value = call.value(1);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const cmp: Value = value(r);
      if (deepEqual(v, cmp)) r.deleteKey(key);
      return null;
    };
  },
});

export const STRING_FUNCS: readonly FuncDef[] = [
  lowercase,
  uppercase,
  trim,
  replace,
  len,
  strlen,
  match,
  nullif,
];
