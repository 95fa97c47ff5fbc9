/**
 * Checks the time functions against DataKit's own conformance vectors.
 * Each case is a whole script; this test only understands the simple
 * shapes the time cases are written in (a json/load_json/grok extraction
 * followed by one time call) and pulls out of them the input text, the
 * call's arguments, the local zone and the expected result. Cases of other
 * shapes are counted as not covered; compile-error cases are not ours.
 * Clock cases ("requires": ["clock"]) are run with `now` anchored on the
 * expected result (the recorded run's clock is not in the vector), which
 * still checks everything but the clock read itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adjustTimezone,
  type DateParts,
  datetimeInputNs,
  durationPrecision,
  formatDatetimeText,
  guessTimeNs,
  makeTimeContext,
  parseDateParts,
  parseGoDuration,
  parseGoLayout,
  type TimeContext,
  timeInputText,
  timestampAt,
} from '../../../../src/pipeline/funcs/time/index.js';
import type { FieldValue } from '../../../../src/point/index.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../../support/shared.js';

interface TypedField {
  s?: string;
  i?: string;
  f?: number;
}
interface Case {
  id: string;
  func: string;
  pl: string;
  in: string;
  tz: string;
  requires: string[];
  expect: Array<{
    time_ns?: string;
    fields?: Record<string, TypedField>;
    compile_error?: string;
    run_error?: string;
  }>;
}

const TIME_FUNCS = new Set([
  'default_time',
  'datetime',
  'parse_duration',
  'parse_date',
  'default_time_with_fmt',
  'timestamp',
  'duration_precision',
  'adjust_timezone',
]);

/** One extracted check: returns the actual and expected values. */
interface Check {
  name: string;
  run(): { actual: unknown; expected: unknown };
}

function ctxFor(c: Case, now?: bigint): TimeContext {
  return makeTimeContext(c.tz, () => now ?? 1704067200000000000n);
}

/** Statements of the script, comments dropped; a call spanning lines stays one statement. */
function statements(pl: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const line of pl.split('\n')) {
    for (const part of line.replace(/#.*$/, '').split(';')) {
      cur += (cur === '' ? '' : ' ') + part.trim();
      for (const ch of part) {
        if (ch === '(') depth++;
        else if (ch === ')') depth--;
      }
      if (depth <= 0) {
        if (cur.trim() !== '') out.push(cur.trim().replace(/,\s+/g, ', '));
        cur = '';
        depth = 0;
      }
    }
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** Splits call arguments at top-level commas. */
function args(call: string): string[] {
  const open = call.indexOf('(');
  const body = call.slice(open + 1, call.lastIndexOf(')'));
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of body) {
    if (quote !== '') {
      cur += ch;
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function strLit(s: string): string | null {
  const m = /^(?:\w+\s*=\s*)?(["'])(.*)\1$/s.exec(s.trim());
  return m === null ? null : m[2];
}

/** Named or positional argument value (raw text). */
function argAt(list: string[], index: number, name: string): string | undefined {
  for (const a of list) {
    const m = /^(\w+)\s*=\s*(.*)$/s.exec(a);
    if (m !== null && m[1] === name && !/^["']/.test(a)) return m[2];
  }
  const positional = list.filter((a) => !/^\w+\s*=/.test(a) || /^["']/.test(a));
  return positional[index];
}

/** The value a `json(_, path)` / load_json extraction gives the key, as a FieldValue. */
function jsonValue(c: Case, path: string[]): FieldValue | undefined {
  let v: unknown = JSON.parse(c.in);
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return undefined;
}

/** `json(_, a.b)` or `x = load_json(_)` + `k = x["a"]["b"]`: the key name and JSON path, if the script starts so. */
function extraction(stmts: string[]): { key: string; path: string[]; rest: string[] } | null {
  const j = /^json\(_,\s*`?([\w.]+)`?\)$/.exec(stmts[0] ?? '');
  if (j !== null) return { key: j[1], path: j[1].split('.'), rest: stmts.slice(1) };
  const l = /^(\w+)\s*=\s*load_json\(_\)$/.exec(stmts[0] ?? '');
  const a = /^(\w+)\s*=\s*(\w+)((?:\["\w+"\])+)$/.exec(stmts[1] ?? '');
  if (l !== null && a !== null && a[2] === l[1]) {
    const path = [...a[3].matchAll(/\["(\w+)"\]/g)].map((m) => m[1]);
    return { key: a[1], path, rest: stmts.slice(2) };
  }
  return null;
}

function expectedField(c: Case, key: string): TypedField | undefined {
  return c.expect[0]?.fields?.[key];
}

function extractDefaultTime(c: Case, stmts: string[]): Check[] | null {
  const ex = extraction(stmts);
  if (ex !== null && ex.rest.length === 1) {
    const call = ex.rest[0];
    if (!call.startsWith('default_time(')) return null;
    const a = args(call);
    if (a[0] !== ex.key) return null;
    const tz = a.length > 1 ? strLit(a[1]) : '';
    if (tz === null) return null;
    const text = timeInputText(jsonValue(c, ex.path));
    const expected = c.expect[0].time_ns;
    const now = c.requires.includes('clock') ? BigInt(expected!) : undefined;
    return [
      {
        name: `default_time(${JSON.stringify(text)}, ${JSON.stringify(tz)}) in ${c.tz}`,
        run: () => ({ actual: String(guessTimeNs(text ?? '', tz, ctxFor(c, now))), expected }),
      },
    ];
  }
  // grok of an ISO8601 or HTTPDATE timestamp, then default_time on it.
  let dt: RegExpExecArray | null = null;
  for (const st of stmts) dt ??= /^default_time\((\w+)(?:,\s*"([^"]*)")?\)$/.exec(st);
  if (dt === null) return null;
  const grok = stmts.find(
    (s) => s.includes(`%{TIMESTAMP_ISO8601:${dt[1]}}`) || s.includes(`%{HTTPDATE:${dt[1]}}`),
  );
  if (grok === undefined) return null;
  const text = grok.includes('HTTPDATE') ? /\[([^\]]+)\]/.exec(c.in)?.[1] : /^\S+/.exec(c.in)?.[0];
  if (text === undefined) return null;
  const tz = dt[2] ?? '';
  const name = dt[1];
  const renamed = stmts.some((st) => st === `rename("time", ${name})`);
  const expected = name === 'time' || renamed ? c.expect[0].time_ns : expectedField(c, name)?.i;
  return [
    {
      name: `default_time(${JSON.stringify(text)}, ${JSON.stringify(tz)}) via grok in ${c.tz}`,
      run: () => ({ actual: String(guessTimeNs(text, tz, ctxFor(c))), expected }),
    },
  ];
}

function extractDefaultTimeWithFmt(c: Case, stmts: string[]): Check[] | null {
  const last = stmts[stmts.length - 1];
  const m = /^default_time_with_fmt\((\w+),\s*"([^"]*)"(?:,\s*"([^"]*)")?\)$/.exec(last);
  if (m === null) return null;
  let text: string | undefined;
  const ex = extraction(stmts);
  if (ex !== null && ex.key === m[1] && ex.rest.length === 1)
    text = timeInputText(jsonValue(c, ex.path)) ?? undefined;
  else if (stmts.some((s) => s.includes(`%{TIMESTAMP_ISO8601:${m[1]}}`))) text = /^\S+/.exec(c.in)?.[0];
  if (text === undefined) return null;
  const layout = m[2];
  const tz = m[3] ?? '';
  return [
    {
      name: `default_time_with_fmt(${JSON.stringify(text)}, ${JSON.stringify(layout)}, ${JSON.stringify(tz)}) in ${c.tz}`,
      run: () => ({
        actual: String(parseGoLayout(text!, layout, tz, ctxFor(c))),
        expected: c.expect[0].time_ns,
      }),
    },
  ];
}

function extractDatetime(c: Case, stmts: string[]): Check[] | null {
  const ex = extraction(stmts);
  let key: string;
  let value: FieldValue | undefined;
  let rest: string[];
  let now: bigint | undefined;
  if (ex !== null) {
    key = ex.key;
    value = jsonValue(c, ex.path);
    rest = ex.rest;
  } else {
    // `ts = timestamp()` / `add_key(k, timestamp())` then datetime: a clock case.
    const ts = /^(?:(\w+)\s*=\s*timestamp\(\)|add_key\((\w+),\s*timestamp\(\)\))$/.exec(stmts[0] ?? '');
    if (ts === null) return null;
    key = ts[1] ?? ts[2];
    rest = stmts.slice(1).join(' ').length > 0 ? [stmts.slice(1).join(' ')] : [];
    value = undefined;
    now = 0n;
  }
  if (rest.length !== 1 || !rest[0].startsWith('datetime(')) return null;
  const a = args(rest[0]);
  if (a[0] !== key) return null;
  const precision = strLit(a[1]);
  const fmt = strLit(argAt(a, 2, 'fmt') ?? '');
  const tzRaw = argAt(a, 3, 'tz');
  const tz = tzRaw === undefined ? '' : strLit(tzRaw);
  if (precision === null || fmt === null || tz === null) return null;
  const expected = expectedField(c, key)?.s;
  if (expected === undefined) return null;
  return [
    {
      name: `datetime(${JSON.stringify(value ?? 'now')}, ${precision}, ${JSON.stringify(fmt)}, ${JSON.stringify(tz)}) in ${c.tz}`,
      run: () => {
        const ctx = ctxFor(c);
        let ns: bigint;
        if (now === undefined) {
          ns = datetimeInputNs(value, precision);
        } else {
          // Clock case: find the instant the expected text stands for, to the second.
          const anchor = anchorFromFormatted(expected, fmt, tz, c.tz);
          if (anchor === null) return { actual: 'no anchor', expected };
          ns = timestampAt('ns', anchor);
        }
        return { actual: formatDatetimeText(ns, fmt, tz, ctx), expected };
      },
    },
  ];
}

/** For clock cases: the instant a "%Y-%m-%d %H:%M:%S"-style expected text denotes. */
function anchorFromFormatted(text: string, fmt: string, tz: string, localTz: string): bigint | null {
  const layout = fmt
    .replace('%Y', '2006')
    .replace('%m', '01')
    .replace('%d', '02')
    .replace('%H', '15')
    .replace('%M', '04')
    .replace('%S', '05')
    .replace('%y', '06')
    .replace('%z', '-0700');
  return parseGoLayout(text, layout, tz, makeTimeContext(localTz));
}

function extractParseDuration(c: Case, stmts: string[]): Check[] | null {
  const ex = extraction(stmts);
  if (ex === null || ex.rest.length !== 1) return null;
  const m = /^parse_duration\(`?(\w+)`?\)$/.exec(ex.rest[0]);
  if (m === null || m[1] !== ex.key) return null;
  const value = jsonValue(c, ex.path);
  const want = expectedField(c, ex.key);
  return [
    {
      name: `parse_duration(${JSON.stringify(value)})`,
      run: () => {
        // Only strings are read; a failed parse leaves the value as it was.
        const got = typeof value === 'string' ? parseGoDuration(value) : null;
        const actual =
          got !== null ? { i: got.toString() } : typeof value === 'string' ? { s: value } : { f: value };
        return { actual, expected: want };
      },
    },
  ];
}

function extractDurationPrecision(c: Case, stmts: string[]): Check[] | null {
  const ex = extraction(stmts);
  if (ex === null || ex.rest.length !== 2 || ex.rest[0] !== `cast(${ex.key}, "int")`) return null;
  const m = /^duration_precision\((\w+),\s*"(\w+)",\s*"(\w+)"\)$/.exec(ex.rest[1]);
  if (m === null || m[1] !== ex.key) return null;
  const value = jsonValue(c, ex.path);
  if (typeof value !== 'number') return null;
  return [
    {
      name: `duration_precision(${value}, ${m[2]}, ${m[3]})`,
      run: () => ({
        actual: String(durationPrecision(BigInt(Math.trunc(value)), m[2], m[3])),
        expected: expectedField(c, ex.key)?.i,
      }),
    },
  ];
}

function extractTimestamp(c: Case, stmts: string[]): Check[] | null {
  if (stmts.length === 2) return extractDatetime(c, stmts);
  if (stmts.length !== 1) return null;
  const m = /^add_key\((\w+),\s*timestamp\((?:"(\w+)")?\)\s*(?:\*\s*(\d+))?\)$/.exec(stmts[0]);
  if (m === null) return null;
  const expected = expectedField(c, m[1])?.i;
  if (expected === undefined) return null;
  const precision = m[2] ?? 'ns';
  const factor = BigInt(m[3] ?? '1');
  // The clock is anchored on the expected value, scaled back to ns.
  const scaleToNs: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, ns: 1n };
  const now = (BigInt(expected) / factor) * scaleToNs[precision];
  return [
    {
      name: `timestamp(${precision}) * ${factor}`,
      run: () => ({ actual: String(timestampAt(precision, now) * factor), expected }),
    },
  ];
}

/** Grok with %{INT:x}/%{NOTSPACE:x}/\s+ only, enough for the parse_date cases. */
function miniGrok(pattern: string, text: string): Record<string, string> | null {
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const g = /^%\{(\w+):(\w+)\}/.exec(pattern.slice(i));
    if (g !== null) {
      if (g[1] === 'INT') re += `(?<${g[2]}>[+-]?\\d+)`;
      else if (g[1] === 'NOTSPACE') re += `(?<${g[2]}>\\S+)`;
      else return null;
      i += g[0].length;
      continue;
    }
    if (pattern.startsWith('\\\\s+', i)) {
      re += '\\s+';
      i += 4;
      continue;
    }
    if (pattern.startsWith('\\\\.', i)) {
      re += '\\.';
      i += 3;
      continue;
    }
    re += pattern[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  const m = new RegExp(re).exec(text);
  return m === null ? null : { ...m.groups };
}

const PARSE_DATE_ARGS: Array<keyof DateParts> = [
  'yy',
  'MM',
  'dd',
  'hh',
  'mm',
  'ss',
  'ms',
  'us',
  'ns',
  'zone',
];

function extractParseDate(c: Case, stmts: string[]): Check[] | null {
  if (stmts.length !== 2) return null;
  const g = /^grok\(_,\s*"(.*)"\)$/.exec(stmts[0]);
  if (g === null || !stmts[1].startsWith('parse_date(')) return null;
  const caps = miniGrok(g[1], c.in);
  if (caps === null) return null;
  const a = args(stmts[1]);
  const parts: DateParts = {};
  for (let k = 0; k < PARSE_DATE_ARGS.length; k++) {
    const raw = argAt(a.slice(1), k, PARSE_DATE_ARGS[k]);
    if (raw === undefined) continue;
    const lit = strLit(raw);
    parts[PARSE_DATE_ARGS[k]] = lit !== null ? lit : (caps[raw.trim()] ?? null);
  }
  const first = c.expect[0];
  const failing = first.run_error !== undefined;
  const expected = failing ? 'run error' : (first.fields?.time?.i ?? first.time_ns);
  const now = c.requires.includes('clock') && !failing ? BigInt(expected!) : undefined;
  return [
    {
      name: `parse_date(${JSON.stringify(parts)}) in ${c.tz}`,
      run: () => {
        const r = parseDateParts(parts, ctxFor(c, now));
        return { actual: r.ok ? r.ns.toString() : 'run error', expected };
      },
    },
  ];
}

function extractAdjustTimezone(c: Case, stmts: string[]): Check[] | null {
  const ex = extraction(stmts);
  if (ex === null || ex.rest.length !== 2 || ex.rest[0] !== `default_time(${ex.key})`) return null;
  if (ex.rest[1] !== `adjust_timezone(${ex.key})`) return null;
  const text = timeInputText(jsonValue(c, ex.path)) ?? '';
  const expected = c.expect[0].time_ns!;
  return [
    {
      name: `adjust_timezone(default_time(${JSON.stringify(text)}))`,
      run: () => {
        const parsed = guessTimeNs(text, '', ctxFor(c));
        return {
          actual: parsed === null ? null : String(adjustTimezone(parsed, BigInt(expected))),
          expected,
        };
      },
    },
  ];
}

const EXTRACTORS: Record<string, (c: Case, stmts: string[]) => Check[] | null> = {
  default_time: extractDefaultTime,
  default_time_with_fmt: extractDefaultTimeWithFmt,
  datetime: extractDatetime,
  parse_duration: extractParseDuration,
  duration_precision: extractDurationPrecision,
  timestamp: extractTimestamp,
  parse_date: extractParseDate,
  adjust_timezone: extractAdjustTimezone,
};

function loadCases(): Case[] {
  if (SHARED_DIR === null) return [];
  const lines = readFileSync(sharedPath('conformance', 'pipeline', 'cases.jsonl'), 'utf8').split('\n');
  return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
}

const cases = loadCases().filter((c) => TIME_FUNCS.has(c.func));
const covered: Array<{ id: string; check: Check }> = [];
const compileErrors: string[] = [];
const uncovered: string[] = [];
for (const c of cases) {
  if (c.expect[0]?.compile_error !== undefined) {
    compileErrors.push(c.id);
    continue;
  }
  const checks = EXTRACTORS[c.func](c, statements(c.pl));
  if (checks === null || checks.length === 0) uncovered.push(`${c.id} (${c.func})`);
  else for (const check of checks) covered.push({ id: c.id, check });
}

describe.skipIf(SHARED_DIR === null)(
  `time functions vs conformance vectors${SHARED_DIR === null ? ` (${SHARED_MISSING_REASON})` : ''}`,
  () => {
    it('extracts most time cases', () => {
      console.log(
        `time vectors: ${cases.length} cases, ${compileErrors.length} compile errors (not ours), ` +
          `${covered.length} checks extracted, ${uncovered.length} not covered:\n  ${uncovered.join('\n  ')}`,
      );
      expect(covered.length).toBeGreaterThan(250);
    });

    it.each(covered.map((x) => [`${x.id}: ${x.check.name}`, x.check] as const))('%s', (_name, check) => {
      const { actual, expected } = check.run();
      expect(actual).toEqual(expected);
    });
  },
);
