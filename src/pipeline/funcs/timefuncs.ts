/**
 * Time functions: parse_duration, duration_precision, datetime,
 * adjust_timezone, timestamp and parse_date. The time logic is the pure
 * `time/` module; this file binds it to script calls with DataKit's
 * argument rules, and takes the local zone and the clock from the run
 * (see `time-context.ts`), never from the process.
 */
import type { FieldValue } from '../../point/value.js';
import { RunFault } from '../lang/errors.js';
import type { Eval, FuncDef } from '../lang/func-api.js';
import { isMap, type Value } from '../lang/values.js';
import { expectKinds } from './arg-nodes.js';
import { defineFunc } from './registry.js';
import {
  adjustTimezone as adjustToNow,
  type DateParts,
  datetimeInputNs,
  formatDatetime,
  parseDateParts,
  parseGoDuration,
  durationPrecision as rescale,
  timestampAt,
} from './time/index.js';
import { clockOf, timeContextOf } from './time-context.js';

const STRING_LITERAL = ['StringLiteral'] as const;

export const parseDuration = defineFunc({
  name: 'parse_duration',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    return (r) => {
      const v = read(r);
      if (typeof v !== 'string') return null;
      const ns = parseGoDuration(v);
      if (ns !== null) r.setKey(key, ns);
      return null;
    };
  },
});

export const durationPrecision = defineFunc({
  name: 'duration_precision',
  // DataKit checks nothing at compile time; a wrong call fails when it runs.
  params: [
    { name: 'key', optional: true },
    { name: 'old', optional: true },
    { name: 'new', optional: true },
  ],
  compile(call) {
    const pos = call.pos();
    if (call.argc !== 3) {
      const reason = `func \`${call.name}' expected 3 args`;
      return () => {
        throw new RunFault(reason, pos);
      };
    }
    const key = call.key(0);
    const read = call.lookupKey(0);
    const keyPos = call.pos(0);
    const precisions: string[] = [];
    for (let i = 1; i < 3; i++) {
      const a = call.arg(i)!;
      if (a.type !== 'StringLiteral') {
        const at = call.pos(i);
        return () => {
          throw new RunFault('param precision expect StringLiteral', at);
        };
      }
      precisions.push(a.value);
    }
    const [from, to] = precisions as [string, string];
    return (r) => {
      const v = read(r);
      if (v === undefined) throw new RunFault('key not found', keyPos);
      if (typeof v !== 'bigint') throw new RunFault('param value type expect int', keyPos);
      const out = rescale(v, from, to);
      if (out !== null) r.setKey(key, out);
      return null;
    };
  },
});

/** A script value as the field value the time module reads (maps count as nothing). */
function asFieldValue(v: Value): FieldValue | undefined {
  return isMap(v) ? undefined : (v as FieldValue);
}

export const datetime = defineFunc({
  name: 'datetime',
  params: [{ name: 'key' }, { name: 'precision' }, { name: 'fmt' }, { name: 'tz', optional: true }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    expectKinds(call, 1, STRING_LITERAL, 'param `precision`');
    expectKinds(call, 2, STRING_LITERAL, 'param `fmt`');
    expectKinds(call, 3, STRING_LITERAL, 'param `tz`');
    const precision = call.stringLiteral(1);
    const fmt = call.stringLiteral(2);
    const tz = call.has(3) ? call.stringLiteral(3) : '';
    const fmtPos = call.pos(2);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      const ns = datetimeInputNs(asFieldValue(v), precision);
      const out = formatDatetime(ns, fmt, tz, timeContextOf(r));
      if (!out.ok) throw new RunFault(out.error, fmtPos);
      r.setKey(key, out.text);
      return null;
    };
  },
});

export const adjustTimezone = defineFunc({
  name: 'adjust_timezone',
  params: [{ name: 'key' }],
  compile(call) {
    const key = call.key(0);
    const read = call.lookupKey(0);
    const keyPos = call.pos(0);
    return (r) => {
      const v = read(r);
      if (v === undefined) return null;
      if (typeof v !== 'bigint') throw new RunFault('param value expect int64', keyPos);
      r.setKey(key, adjustToNow(v, clockOf(r)()));
      return null;
    };
  },
});

export const timestamp = defineFunc({
  name: 'timestamp',
  params: [{ name: 'precision', optional: true }],
  compile(call) {
    const precision = call.value(0, 'ns');
    return (r) => {
      const p = precision(r);
      return timestampAt(typeof p === 'string' ? p : '', clockOf(r)());
    };
  },
});

const DATE_PARTS = ['yy', 'MM', 'dd', 'hh', 'mm', 'ss', 'ms', 'us', 'ns', 'zone'] as const;

export const parseDate = defineFunc({
  name: 'parse_date',
  // DataKit declares every parameter optional; a missing key fails at run time.
  params: [{ name: 'key', optional: true }, ...DATE_PARTS.map((name) => ({ name, optional: true }))],
  compile(call) {
    if (!call.has(0)) {
      const pos = call.pos();
      return () => {
        throw new RunFault('parse_date: missing key', pos);
      };
    }
    const key = call.key(0);
    const parts: (Eval | null)[] = DATE_PARTS.map((_, i) => (call.has(i + 1) ? call.value(i + 1) : null));
    const positions = DATE_PARTS.map((_, i) => call.pos(i + 1));
    const n = DATE_PARTS.length;
    return (r) => {
      const dp: DateParts = {};
      for (let i = 0; i < n; i++) {
        const ev = parts[i];
        const v = ev === null || ev === undefined ? null : ev(r);
        dp[DATE_PARTS[i]!] = typeof v === 'string' ? v : null;
      }
      const out = parseDateParts(dp, timeContextOf(r));
      if (!out.ok) throw new RunFault(out.error, positions[DATE_PARTS.indexOf(out.arg)]);
      r.setKey(key, out.ns);
      return null;
    };
  },
});

export const TIME_FUNCS: readonly FuncDef[] = [
  parseDuration,
  durationPrecision,
  datetime,
  adjustTimezone,
  timestamp,
  parseDate,
];
