/**
 * Runs one conformance case (`shared/conformance/pipeline/cases.jsonl`)
 * through plkit and compares with DataKit's output in the typed shape.
 * Shared by the vitest suite and ad-hoc scripts.
 */

import { compileScript } from '../../src/pipeline/index.js';
import { decodeLineProtocol } from '../../src/point/codec/line-protocol.js';
import { normalizePoint } from '../../src/point/normalize.js';
import { Point } from '../../src/point/point.js';
import { type TypedPoint, toTyped } from '../../src/point/typed-json.js';
import type { FieldValue } from '../../src/point/value.js';

export interface Case {
  id: string;
  func: string;
  name: string;
  pl: string;
  in: string;
  in_kind: 'raw' | 'lp';
  point_name: string;
  time_ns: string;
  tz: string;
  requires: string[];
  expect: Record<string, unknown>[];
}

export interface Outcome {
  pass: boolean;
  detail: string;
  actual: unknown[];
}

function inputPoints(c: Case): Point[] {
  if (c.in_kind === 'lp') {
    const res = decodeLineProtocol(c.in, { category: 'logging', now: BigInt(c.time_ns) });
    return res.points;
  }
  const pt = new Point(
    c.point_name,
    new Map(),
    new Map<string, FieldValue>([['message', c.in]]),
    BigInt(c.time_ns),
  );
  normalizePoint(pt, 'logging');
  return [pt];
}

/** JSON round trip so -0, key order and undefined do not matter. */
function norm(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x));
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function comparable(p: Record<string, unknown>, loose: boolean): unknown {
  const fields = (p.fields ?? {}) as Record<string, Record<string, unknown>>;
  const f: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) {
    const v = fields[k]!;
    f[k] = loose ? Object.keys(v)[0] : v;
  }
  return norm({
    name: p.name,
    time_ns: loose ? null : p.time_ns,
    tags: sortKeys((p.tags ?? {}) as Record<string, unknown>),
    fields: f,
    dropped: p.dropped ?? false,
    run_error: 'run_error' in p,
    sub_point: p.sub_point ?? false,
    category: p.sub_point ? (p.category ?? null) : null,
  });
}

/**
 * The clock for cases that need `random`: DataKit's `sample(p)` draws the
 * current microsecond modulo 100, so the recorded outcomes (0.5 kept, 0.2
 * and 0.3 dropped) are reproduced by any instant whose draw is 31..50.
 */
const RANDOM_CASE_CLOCK = 1_795_689_945_364_640_000n; // draw 40

export function runCase(c: Case): Outcome {
  const compiled = compileScript(c.pl, { name: 'case.p', category: 'logging' });
  const expectCompileError = c.expect.length === 1 && 'compile_error' in c.expect[0]!;
  if (!compiled.ok) {
    return {
      pass: expectCompileError,
      detail: expectCompileError ? '' : `unexpected compile error: ${compiled.error.message}`,
      actual: [{ compile_error: compiled.error.short }],
    };
  }
  if (expectCompileError) {
    return {
      pass: false,
      detail: `expected compile error: ${String(c.expect[0]!.compile_error)}`,
      actual: [],
    };
  }
  const actual: (TypedPoint & Record<string, unknown>)[] = [];
  for (const pt of inputPoints(c)) {
    const services = c.requires.includes('random') ? { clock: () => RANDOM_CASE_CLOCK } : undefined;
    const res = compiled.script.run(pt, { tz: c.tz, services });
    const typed: TypedPoint & Record<string, unknown> = { ...toTyped(pt, { dropped: res.dropped }) };
    if (res.error !== undefined) typed.run_error = res.error.short;
    actual.push(typed);
    for (const sp of res.subPoints) {
      const st: TypedPoint & Record<string, unknown> = { ...toTyped(sp, { dropped: false }) };
      st.sub_point = true;
      st.category = sp.category;
      actual.push(st);
    }
  }
  const loose = c.requires.includes('clock');
  const a = actual.map((p) => comparable(p, loose));
  const e = c.expect.map((p) => comparable(p, loose));
  const pass = JSON.stringify(a) === JSON.stringify(e);
  return {
    pass,
    detail: pass ? '' : `expected ${JSON.stringify(e)}\n     got ${JSON.stringify(a)}`,
    actual,
  };
}
