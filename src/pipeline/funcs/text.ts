/**
 * Text functions: kv_split, group_between, group_in, cover, sql_cover,
 * slice_string and strfmt. Arguments DataKit fixes at compile time
 * (patterns, ranges, replacement literals, format strings) are checked and
 * decided here once; the closures only read the key and write the result.
 */
import { PlkScriptError, RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { conv2String, type Value } from '../lang/values.js';
import { expectKinds, kindName, numberLiteral, numberValue, scalarLiteral } from './arg-nodes.js';
import { cover as coverRunes } from './lib/cover.js';
import { compileGoRegexp } from './lib/go-regexp.js';
import { groupBetween as inRange, groupIn as inSet } from './lib/group.js';
import { kvSplit as splitPairs } from './lib/kv-split.js';
import { sliceString as sliceRunes } from './lib/slice-string.js';
import { sqlCover as obfuscateSql } from './lib/sql-cover.js';
import { type FmtArg, strfmt as goSprintf } from './lib/strfmt.js';
import { defineFunc } from './registry.js';
import { typedArg } from './typed-args.js';

const STRING_LITERAL = ['StringLiteral'] as const;
const NEW_KEY_KINDS = ['AttrExpr', 'StringLiteral', 'Identifier'] as const;

export const kvSplit = defineFunc({
  name: 'kv_split',
  params: [
    { name: 'key' },
    { name: 'field_split_pattern', optional: true },
    { name: 'value_split_pattern', optional: true },
    { name: 'trim_key', optional: true },
    { name: 'trim_value', optional: true },
    { name: 'include_keys', optional: true },
    { name: 'prefix', optional: true },
  ],
  compile(call) {
    const read = call.lookupKey(0); // also checks the key argument's kind
    const literal = (i: number, what: string, dflt: string): string => {
      if (!call.has(i)) return dflt;
      expectKinds(call, i, STRING_LITERAL, `param ${what}`);
      return call.stringLiteral(i, `param ${what}`);
    };
    // a pattern that Go's regexp rejects is a compile error in DataKit
    const pattern = (i: number, what: string, dflt: string): string => {
      const p = literal(i, what, dflt);
      const re = compileGoRegexp(p);
      if (re instanceof Error) call.fail(re.message, i);
      return p;
    };
    const fieldSplit = pattern(1, 'field_split_pattern', ' ');
    const valueSplit = pattern(2, 'value_split_pattern', '=');
    const trimKey = literal(3, 'trim_key', '');
    const trimValue = literal(4, 'trim_value', '');
    expectKinds(call, 5, ['ListLiteral', 'Identifier'], 'param include_keys');
    const includeKeys: Eval | null = call.has(5) ? call.value(5) : null;
    const prefix = literal(6, 'prefix', '');
    return (r) => {
      const v = read(r);
      if (v === undefined) return false;
      if (includeKeys === null) return false;
      const list = includeKeys(r);
      if (!Array.isArray(list)) return false;
      const keys: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const k = list[i];
        if (typeof k === 'string') keys.push(k);
      }
      if (keys.length === 0) return false;
      const pairs = splitPairs(conv2String(v), fieldSplit, valueSplit, trimKey, trimValue, keys, prefix);
      if (pairs instanceof Error || pairs.size === 0) return false;
      for (const [k, val] of pairs) r.setKey(k, val);
      return true;
    };
  },
});

export const groupBetween = defineFunc({
  name: 'group_between',
  params: [{ name: 'key' }, { name: 'between' }, { name: 'new_value' }, { name: 'new_key', optional: true }],
  compile(call) {
    const srcKey = call.key(0);
    const read = call.lookupKey(0);
    const dstKey = call.has(3) ? call.key(3) : srcKey;
    const range = call.arg(1)!;
    const set = range.type === 'ListLiteral' ? range.elements : [];
    if (set.length !== 2) return call.fail('param between range value is not expected', 1);
    const lo = numberLiteral(set[0]!);
    const hi = numberLiteral(set[1]!);
    if (lo === undefined || hi === undefined) return call.fail('range value is not expected', 1);
    const start = numberValue(lo);
    const end = numberValue(hi);
    if (start > end) return call.fail(`range value start ${start} must le end ${end}`);
    const value = scalarLiteral(call.arg(2)!);
    const pos = call.pos();
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      if (!inRange(v, start, end)) return null;
      if (value === undefined) throw new RunFault('unsupported group type', pos);
      r.setKey(dstKey, value);
      return null;
    };
  },
});

export const groupIn = defineFunc({
  name: 'group_in',
  params: [{ name: 'key' }, { name: 'range' }, { name: 'new_value' }, { name: 'new_key', optional: true }],
  compile(call) {
    const srcKey = call.key(0);
    const read = call.lookupKey(0);
    expectKinds(call, 3, NEW_KEY_KINDS, 'param new-key');
    const dstKey = call.has(3) ? call.key(3) : srcKey;
    const setNode = call.arg(1)!;
    let set: ((r: RunState) => Value | undefined) | null = null;
    if (setNode.type === 'Identifier') set = call.lookupKey(1);
    else if (setNode.type === 'ListLiteral') set = call.value(1);
    const value = scalarLiteral(call.arg(2)!);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const members = set === null ? undefined : set(r);
      if (!Array.isArray(members) || !inSet(v, members)) return null;
      if (value === undefined) return null;
      r.setKey(dstKey, value);
      return null;
    };
  },
});

export const cover = defineFunc({
  name: 'cover',
  params: [{ name: 'key' }, { name: 'range' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const range = call.arg(1)!;
    if (range.type !== 'ListLiteral')
      return call.fail(`param range expects ListInitExpr, got ${kindName(range)}`, 1);
    if (range.elements.length !== 2) return call.fail('param between range value is not expected', 1);
    const lo = numberLiteral(range.elements[0]!);
    const hi = numberLiteral(range.elements[1]!);
    if (lo === undefined || hi === undefined) return call.fail('range value is not expected', 1);
    const start = Math.trunc(numberValue(lo));
    const end = Math.trunc(numberValue(hi));
    return (r) => {
      const v = read(r);
      if (typeof v !== 'string') return null;
      const out = coverRunes(v, start, end);
      if (out !== null) r.setKey(key, out);
      return null;
    };
  },
});

export const sqlCover = defineFunc({
  name: 'sql_cover',
  params: [{ name: 'sql' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const out = obfuscateSql(conv2String(v));
      if (typeof out === 'string') r.setKey(key, out);
      return null;
    };
  },
});

export const sliceString = defineFunc({
  name: 'slice_string',
  params: [{ name: 'name' }, { name: 'start' }, { name: 'end' }],
  compile(call) {
    const name = typedArg(call, 0, 'str');
    const start = typedArg(call, 1, 'int');
    const end = typedArg(call, 2, 'int');
    return (r) => sliceRunes(name(r) as string, start(r) as bigint, end(r) as bigint);
  },
});

/** DataKit ignores a failing strfmt argument and formats it as nil. */
function argOrNil(ev: Eval, r: RunState): Value {
  try {
    return ev(r);
  } catch (e) {
    if (e instanceof PlkScriptError && e.code === 'PLK_ERR_RUN') return null;
    throw e;
  }
}

export const strfmt = defineFunc({
  name: 'strfmt',
  params: [{ name: 'key' }, { name: 'fmt' }, { name: 'args', variadic: true }],
  compile(call) {
    const key = call.key(0);
    expectKinds(call, 1, STRING_LITERAL, 'param fmt');
    const format = call.stringLiteral(1, 'param fmt');
    const nodes = call.has(2) ? [call.arg(2)!, ...call.rest()] : [];
    const args: Eval[] = nodes.map((n) => call.compileExpr(n));
    const n = args.length;
    return (r) => {
      const vals: FmtArg[] = new Array(n);
      for (let i = 0; i < n; i++) vals[i] = argOrNil(args[i]!, r);
      r.setKey(key, goSprintf(format, vals));
      return null;
    };
  },
});

export const TEXT_FUNCS: readonly FuncDef[] = [
  kvSplit,
  groupBetween,
  groupIn,
  cover,
  sqlCover,
  sliceString,
  strfmt,
];
