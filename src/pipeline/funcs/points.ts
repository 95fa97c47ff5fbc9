/**
 * Functions about whole points: sample (keep a share of the points),
 * create_point (emit an extra point, returned in the run's `subPoints`)
 * and json_all (registered but disabled in DataKit: it accepts anything
 * and does nothing, so old scripts still compile).
 */
import type { Category } from '../../point/category.js';
import { normalizePoint } from '../../point/normalize.js';
import { Point } from '../../point/point.js';
import type { FieldValue } from '../../point/value.js';
import { PlkScriptError, RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { isMap, kindOfValue, type Value } from '../lang/values.js';
import { kindName, numberLiteral, numberValue } from './arg-nodes.js';
import { defineFunc } from './registry.js';
import { servicesOf } from './services.js';
import { clockOf } from './time-context.js';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

export const sample = defineFunc({
  name: 'sample',
  params: [{ name: 'p' }],
  compile(call) {
    const a = call.arg(0)!;
    const lit = numberLiteral(a);
    const isArith = a.type === 'BinaryExpr' && ARITHMETIC.has(a.op);
    if (lit === undefined && !isArith)
      return call.fail(`expect NumberLiteral or ArithmeticExpr, got ${kindName(a)}`, 0);
    const pos = call.pos(0);
    const expr = isArith ? call.value(0) : null;
    const fixed = lit === undefined ? 0 : numberValue(lit);
    return (r) => {
      let p = fixed;
      if (expr !== null) {
        const v = expr(r);
        // DataKit accepts only a float result from an arithmetic expression
        if (typeof v !== 'number')
          throw new RunFault('failed to convert expression evaluation result to float', pos);
        p = v;
      }
      if (!(p >= 0 && p <= 1)) return null;
      // DataKit's draw: the current microsecond modulo 100 against the percentage
      const draw = Number((clockOf(r)() / 1000n) % 100n);
      return draw <= Math.trunc(p * 100);
    };
  },
});

/** create_point's (and agg_*'s) category names: DataKit's long names and one/two-letter codes. */
export const CATEGORY_NAMES: Readonly<Record<string, Category>> = {
  logging: 'logging',
  L: 'logging',
  metric: 'metric',
  M: 'metric',
  tracing: 'tracing',
  T: 'tracing',
  rum: 'rum',
  R: 'rum',
  network: 'network',
  N: 'network',
  object: 'object',
  O: 'object',
  custom_object: 'custom_object',
  CO: 'custom_object',
  security: 'security',
  S: 'security',
  dialtesting: 'dialtesting',
  DT: 'dialtesting',
};

export const FAILED = Symbol('failed');

/** DataKit stops create_point (and agg_*) quietly when an optional argument fails to evaluate. */
export function quiet(ev: Eval, r: RunState): Value | typeof FAILED {
  try {
    return ev(r);
  } catch (e) {
    if (e instanceof PlkScriptError && e.code === 'PLK_ERR_RUN') return FAILED;
    throw e;
  }
}

function typeFault(what: string, v: Value, pos: number): RunFault {
  return new RunFault(`type of parameter expected to be ${what}, got ${kindOfValue(v)}`, pos);
}

export const createPoint = defineFunc({
  name: 'create_point',
  params: [
    { name: 'name' },
    { name: 'tags' },
    { name: 'fields' },
    { name: 'ts', optional: true },
    { name: 'category', optional: true },
    { name: 'after_use', optional: true },
  ],
  compile(call) {
    const name = call.value(0);
    const tags = call.value(1);
    const fields = call.value(2);
    const ts = call.has(3) ? call.value(3) : null;
    const category = call.has(4) ? call.value(4) : null;
    let afterUse: string | null = null;
    if (call.has(5)) {
      const a = call.arg(5)!;
      if (a.type !== 'StringLiteral')
        return call.fail(`param after_use expects StringLiteral, got ${kindName(a)}`, 5);
      afterUse = a.value;
    }
    const pos = [0, 1, 2, 3, 4].map((i) => call.pos(i));
    const scriptCategory = call.category;
    const compileServices = call.services;
    return (r) => {
      const n = name(r);
      if (typeof n !== 'string') throw typeFault('string', n, pos[0]!);

      const tagMap = new Map<string, string>();
      const tv = quiet(tags, r);
      if (tv === FAILED) return null;
      if (tv !== null) {
        if (!isMap(tv)) throw typeFault('map', tv, pos[1]!);
        for (const k in tv) if (Object.hasOwn(tv, k) && typeof tv[k] === 'string') tagMap.set(k, tv[k]);
      }

      const fieldMap = new Map<string, FieldValue>();
      const fv = quiet(fields, r);
      if (fv === FAILED) return null;
      if (fv !== null) {
        if (!isMap(fv)) throw typeFault('map', fv, pos[2]!);
        for (const k in fv) {
          if (!Object.hasOwn(fv, k)) continue;
          const v = fv[k]!;
          const t = typeof v;
          if (t === 'string' || t === 'bigint' || t === 'number' || t === 'boolean')
            fieldMap.set(k, v as FieldValue);
        }
      }

      let time = r.pt.time;
      if (ts !== null) {
        const t = quiet(ts, r);
        if (t === FAILED) return null;
        if (t !== null) {
          if (typeof t !== 'bigint') throw typeFault('int64', t, pos[3]!);
          if (t > 0n) time = t;
        }
      }

      let cat: Category = 'metric';
      if (category !== null) {
        const c = quiet(category, r);
        if (c === FAILED) return null;
        if (c !== null) {
          if (typeof c !== 'string') throw typeFault('str', c, pos[4]!);
          const known = Object.hasOwn(CATEGORY_NAMES, c) ? CATEGORY_NAMES[c] : undefined;
          if (known === undefined) return null;
          cat = known;
        }
      }

      const pt = new Point(n, tagMap, fieldMap, time, cat);
      if (afterUse !== null) runAfterUse(r, pt, afterUse, scriptCategory, compileServices);
      normalizePoint(pt, cat);
      r.subPoints.push(pt);
      return null;
    };
  },
});

/** Runs the `after_use` script on the new point, as `use()` would, inside this run. */
function runAfterUse(r: RunState, pt: Point, name: string, category: string, compileServices: unknown): void {
  const resolve = servicesOf(r.services).resolveScript ?? servicesOf(compileServices).resolveScript;
  const script = resolve?.(name, category) ?? null;
  if (script === null) return;
  const child = script.newState(pt, { tz: r.tz, services: r.services });
  script.execIn(child);
  for (const p of child.subPoints) r.subPoints.push(p);
}

export const jsonAll = defineFunc({
  name: 'json_all',
  params: [
    { name: 'input', optional: true },
    { name: 'include_keys', optional: true },
    { name: 'key_patterns', optional: true, variadic: true },
  ],
  compile() {
    return () => null;
  },
});

export const POINT_FUNCS: readonly FuncDef[] = [sample, createPoint, jsonAll];
