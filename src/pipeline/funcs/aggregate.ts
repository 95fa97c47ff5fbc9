/**
 * `agg_create(bucket, on_interval="1m", on_count=0, keep_value=false,
 * const_tags=nil, category="M")` and `agg_metric(bucket, new_field,
 * agg_fn, agg_by, agg_field, category="M")`: metrics aggregated from the
 * points scripts see (services/aggregation.ts holds the buckets).
 *
 * DataKit's rules: the bucket, interval, count, keep flag, field names and
 * `agg_by` are literals checked at compile time; a bucket is created once
 * (later `agg_create` calls change nothing); `agg_metric` adds nothing
 * when an `agg_by` key is missing or not a string, the field is missing,
 * the bucket does not exist or the function name is unknown; a category
 * that does not evaluate or is unknown makes either call do nothing.
 */
import type { Category } from '../../point/category.js';
import { RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import type { RunState } from '../lang/run-state.js';
import { isMap, kindOfValue } from '../lang/values.js';
import { kindName } from './arg-nodes.js';
import { CATEGORY_NAMES, FAILED, quiet } from './points.js';
import { defineFunc } from './registry.js';
import { requireService } from './services.js';
import { parseDuration } from './time/duration.js';

const SKIP = Symbol('skip');

/** The category argument's value: metric when absent or nil, SKIP when it fails or is unknown. */
function categoryOf(ev: Eval | null, r: RunState, pos: number): Category | typeof SKIP {
  if (ev === null) return 'metric';
  const c = quiet(ev, r);
  if (c === FAILED) return SKIP;
  if (c === null) return 'metric';
  if (typeof c !== 'string')
    throw new RunFault(`type of parameter expected to be int64, got ${kindOfValue(c)}`, pos);
  return Object.hasOwn(CATEGORY_NAMES, c) ? CATEGORY_NAMES[c]! : SKIP;
}

function stringLiteralParam(call: Parameters<FuncDef['compile']>[0], i: number, name: string): string {
  const a = call.arg(i)!;
  if (a.type !== 'StringLiteral')
    return call.fail(`param \`${name}\` expect StringLiteral, got ${kindName(a)}`, i);
  return a.value;
}

export const aggCreate = defineFunc({
  name: 'agg_create',
  params: [
    { name: 'bucket' },
    { name: 'on_interval', optional: true },
    { name: 'on_count', optional: true },
    { name: 'keep_value', optional: true },
    { name: 'const_tags', optional: true },
    { name: 'category', optional: true },
  ],
  compile(call) {
    const bucket = stringLiteralParam(call, 0, 'bucket');
    let intervalMs = 60_000;
    if (call.has(1)) {
      const d = parseDuration(stringLiteralParam(call, 1, 'on_interval'));
      if (!d.ok) return call.fail(`parse on_interval: ${d.error}`, 1);
      intervalMs = Number(d.ns) / 1e6;
    }
    let count = 0;
    if (call.has(2)) {
      const a = call.arg(2)!;
      if (a.type !== 'IntLiteral')
        return call.fail(`param \`on_count\` expect IntegerLiteral, got ${kindName(a)}`, 2);
      count = Number(a.value);
    }
    if (intervalMs <= 0 && count <= 0)
      call.fail('param `on_interval` and `on_count` cannot be less than or equal to 0 at the same time');
    let keepValue = false;
    if (call.has(3)) {
      const a = call.arg(3)!;
      if (a.type !== 'BoolLiteral')
        return call.fail(`param \`keep_value\` expect BoolLiteral, got ${kindName(a)}`, 3);
      keepValue = a.value;
    }
    const constTags = call.has(4) ? call.value(4) : null;
    const category = call.has(5) ? call.value(5) : null;
    const catPos = call.pos(5);
    return (r) => {
      const agg = requireService(r.services, 'agg', 'agg_create');
      const cat = categoryOf(category, r, catPos);
      if (cat === SKIP) return null;
      if (agg.hasBucket(cat, bucket)) return null;
      const tags: Record<string, string> = {};
      if (constTags !== null) {
        const m = quiet(constTags, r);
        if (m !== FAILED && m !== null && isMap(m))
          for (const k in m) if (Object.hasOwn(m, k) && typeof m[k] === 'string') tags[k] = m[k];
      }
      agg.createBucket(cat, bucket, { intervalMs, count, keepValue, constTags: tags });
      return null;
    };
  },
});

export const aggMetric = defineFunc({
  name: 'agg_metric',
  params: [
    { name: 'bucket' },
    { name: 'new_field' },
    { name: 'agg_fn' },
    { name: 'agg_by' },
    { name: 'agg_field' },
    { name: 'category', optional: true },
  ],
  compile(call) {
    const bucket = stringLiteralParam(call, 0, 'bucket');
    const newField = stringLiteralParam(call, 1, 'new_field');
    const aggFn = stringLiteralParam(call, 2, 'agg_fn');
    const by = call.arg(3)!;
    if (by.type !== 'ListLiteral')
      return call.fail(`param \`agg_by\` expect StringLiteral, got ${kindName(by)}`, 3);
    const byNames: string[] = [];
    for (const el of by.elements) {
      if (el.type !== 'StringLiteral')
        return call.fail(`agg_by elem expect StringLiteral, got ${kindName(el)}`, 3);
      byNames.push(el.value);
    }
    if (byNames.length === 0) return call.fail('size of param `agg_by` is 0', 3);
    stringLiteralParam(call, 4, 'agg_field');
    const byReads = byNames.map((n) => call.readName(n));
    const field = call.lookupKey(4);
    const category = call.has(5) ? call.value(5) : null;
    const catPos = call.pos(5);
    return (r) => {
      const agg = requireService(r.services, 'agg', 'agg_metric');
      const cat = categoryOf(category, r, catPos);
      if (cat === SKIP) return null;
      const byValues: string[] = new Array(byReads.length);
      for (let i = 0; i < byReads.length; i++) {
        const v = byReads[i]!(r);
        if (typeof v !== 'string') return null;
        byValues[i] = v;
      }
      const value = field(r);
      if (value === undefined) return null;
      agg.addMetric(cat, bucket, newField, aggFn, byNames, byValues, value);
      return null;
    };
  },
});

export const AGG_FUNCS: readonly FuncDef[] = [aggCreate, aggMetric];
