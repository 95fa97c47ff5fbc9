/**
 * JSON functions: json (extract one path into a key), load_json (text →
 * map/list value) and valid_json. A run parses the same JSON text once
 * however many json() calls read it (nginx/app scripts call json() on `_`
 * a dozen times), and paths are resolved to segments at compile time.
 */
import type { Expr } from '../lang/ast.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import { intern } from '../lang/intern.js';
import type { RunState } from '../lang/run-state.js';
import { isMap, toGoBool, toGoJson, type Value } from '../lang/values.js';
import { defineFunc } from './registry.js';

type Seg = string | number;

const hasOwn = Object.prototype.hasOwnProperty;

const FAILED = Symbol('json-failed');

/** Parse JSON text, reusing the run's last parse of the same text. */
export function parseJsonMemo(r: RunState, text: string): unknown {
  if (r.memoText === text) return r.memoDoc;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = FAILED;
  }
  r.memoText = text;
  r.memoDoc = doc;
  return doc;
}

export function parseJsonValue(text: string): Value | undefined {
  try {
    return JSON.parse(text) as Value;
  } catch {
    return undefined;
  }
}

function pathSegments(e: Expr, fail: (msg: string) => never): Seg[] {
  switch (e.type) {
    case 'Identifier':
      return [e.name];
    case 'StringLiteral':
      return [e.value];
    case 'AttrExpr':
      return [...pathSegments(e.obj, fail), e.attr.name];
    case 'IndexExpr': {
      const base = e.obj === null ? [] : pathSegments(e.obj, fail);
      const i = e.index;
      if (i.type === 'IntLiteral') return [...base, Number(i.value)];
      if (i.type === 'StringLiteral') return [...base, i.value];
      return fail('json path index must be a literal');
    }
    default:
      return fail(`unsupported json path: ${e.type}`);
  }
}

function walk(doc: unknown, segs: readonly Seg[], upto: number): unknown {
  let cur = doc;
  for (let i = 0; i < upto; i++) {
    const s = segs[i]!;
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      const idx = s < 0 ? cur.length + s : s;
      if (idx < 0 || idx >= cur.length) return undefined;
      cur = cur[idx];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      const o = cur as Record<string, unknown>;
      const v = o[s];
      if (v === undefined) return undefined;
      // A plain read may find Object.prototype's members, which are all
      // functions but the __proto__ accessor; only those need the own-key check.
      if ((typeof v === 'function' || s === '__proto__') && !hasOwn.call(o, s)) return undefined;
      cur = v;
    }
  }
  return cur;
}

function extracted(v: unknown, trim: boolean): Value {
  if (typeof v === 'string') return trim ? v.trim() : v;
  if (typeof v === 'object' && v !== null) return toGoJson(v as Value);
  return v as Value;
}

export const json = defineFunc({
  name: 'json',
  params: [
    { name: 'input' },
    { name: 'json_path' },
    { name: 'newkey', optional: true },
    { name: 'trim_space', optional: true },
    { name: 'delete_after_extract', optional: true },
  ],
  compile(call) {
    const srcKey = call.key(0);
    const src = call.readKey(0);
    const pathNode = call.arg(1)!;
    const segs = pathSegments(pathNode, (m) => call.fail(m, 1));
    const newKey = call.has(2) ? call.key(2) : intern(call.key(1).replace(/^\./, ''));
    const trim: Eval = call.value(3, true);
    const delLit = call.literal(4);
    if (delLit === true && typeof segs[segs.length - 1] === 'number') {
      call.fail('does not support deleting elements in the list', 4);
    }
    const del: Eval = call.value(4, false);
    // flags given as literals (or left out, the usual case) are decided here
    const trimLit = call.has(3) ? call.literal(3) : true;
    const trimConst = trimLit === undefined ? null : toGoBool(trimLit);
    const delConst = !call.has(4) ? false : delLit === undefined ? null : toGoBool(delLit);
    const n = segs.length;
    return (r) => {
      const text = src(r);
      if (typeof text !== 'string') return false;
      const doc = parseJsonMemo(r, text);
      if (doc === FAILED) return false;
      const v = walk(doc, segs, n);
      if (v === undefined) return false;
      r.setKey(newKey, extracted(v, trimConst === null ? toGoBool(trim(r)) : trimConst));
      if (delConst === null ? toGoBool(del(r)) : delConst) {
        const parent = walk(doc, segs, n - 1);
        const last = segs[n - 1]!;
        if (typeof last === 'string' && isMap(parent as Value)) {
          delete (parent as Record<string, unknown>)[last];
          r.memoText = null;
          r.setKey(srcKey, toGoJson(doc as Value));
        }
      }
      return true;
    };
  },
});

export const loadJson = defineFunc({
  name: 'load_json',
  params: [{ name: 'val' }],
  compile(call) {
    const val = call.value(0);
    return (r) => {
      const v = val(r);
      if (typeof v !== 'string') return null;
      const doc = parseJsonValue(v);
      return doc === undefined ? null : doc;
    };
  },
});

export const validJson = defineFunc({
  name: 'valid_json',
  params: [{ name: 'val' }],
  compile(call) {
    const val = call.value(0);
    return (r) => {
      const v = val(r);
      if (typeof v !== 'string') return false;
      return parseJsonValue(v) !== undefined;
    };
  },
});

/** DataKit keeps the misspelled name for old scripts. */
export const vaildJson: FuncDef = { ...validJson, name: 'vaild_json' };

export const JSON_FUNCS: readonly FuncDef[] = [json, loadJson, validJson, vaildJson];
