/**
 * `POST /v1/pipeline/debug` without the HTTP: DataKit's request in, its
 * answer out (see DataKit's apis.md and its httpapi pipeline handler).
 *
 * Request: `{"pipeline": {"<category>": {"<name>": base64(script)}},
 * "script_name", "category", "data": [base64(...)], "data_type",
 * "multiline", "encode", "benchmark", "timezone"}`. Every script of the
 * category is compiled (so `use()` works among them) and `<name>.p` runs.
 * Data is one log message per entry (`data_type` containing `text/plain`,
 * or empty for logging), else a body in the encoding `data_type` names
 * (line protocol when unknown). `encode` (`gbk`, `gb18030`, …) applies to
 * messages; `multiline` is accepted and, as in DataKit, not used.
 *
 * Answer: `{"content": {"cost", "benchmark", "pl_errors", "plresults"}}`,
 * where a compile error fills `pl_errors` (positioned) and nothing runs,
 * and each input point yields `{point, create_point, run_error}`; a run
 * error yields only `run_error`, as DataKit answers it. Request problems
 * are ApiErrors: 400 `invalidRequest`, `invalidCategory`,
 * `invalidPipeline`, `invalidData`.
 */

import { type Category, categoryFromName } from '../../point/category.js';
import { decodeBody } from '../../point/codec/dispatch.js';
import { Point } from '../../point/point.js';
import type { FieldValue } from '../../point/value.js';
import { ApiError } from '../../server/api-error.js';
import type { PlkScriptError } from '../lang/errors.js';
import type { FuncRegistry } from '../lang/func-api.js';
import { autoBenchmarkYielding } from './bench.js';
import { goBenchmarkResult, goDuration } from './go-format.js';
import type { ScriptSource } from './namespace-loader.js';
import { plainJson } from './plain-json.js';
import { strictBase64 } from './remote-answer.js';
import { compileScriptSet } from './script-set.js';

export const SCRIPT_SIZE_LIMIT = 1024 * 1024;
export const DATA_SIZE_LIMIT = 32 * 1024 * 1024;

export interface DebugRunDeps {
  registry: FuncRegistry;
  services?: Readonly<Record<string, unknown>>;
  /** Time budget of a `benchmark` (Go's default is 1 s). */
  benchmarkMs?: number;
  /** Receive time (ns) of points without one. */
  now?: () => bigint;
}

interface DebugRequest {
  pipeline: Record<string, Record<string, string>>;
  scriptName: string;
  category: string;
  data: string[];
  dataType: string;
  encode: string;
  benchmark: boolean;
  timezone: string;
}

export interface PlErrorJson {
  pos_chain: { file: string; ln: number; col: number; pos: number }[];
  error: string;
}

export function plError(e: PlkScriptError): PlErrorJson {
  return {
    pos_chain: [{ file: e.sourceName, ln: e.loc.line, col: e.loc.column, pos: e.pos }],
    error: e.reason,
  };
}

const bad = (code: string, msg: string): ApiError => new ApiError(400, code, msg);

function field<T>(o: Record<string, unknown>, key: string, kind: 'string' | 'boolean', dflt: T): T {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== kind) throw bad('invalidRequest', `json: "${key}" must be a ${kind}`);
  return v as T;
}

function parseRequest(body: unknown): DebugRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw bad('invalidRequest', 'json: the request body must be an object');
  }
  const o = body as Record<string, unknown>;
  const pipeline: Record<string, Record<string, string>> = {};
  if (o.pipeline !== undefined && o.pipeline !== null) {
    if (typeof o.pipeline !== 'object' || Array.isArray(o.pipeline)) {
      throw bad('invalidRequest', 'json: "pipeline" must be an object of categories');
    }
    for (const [cat, scripts] of Object.entries(o.pipeline as Record<string, unknown>)) {
      if (scripts === null) continue;
      if (typeof scripts !== 'object' || Array.isArray(scripts)) {
        throw bad('invalidRequest', `json: "pipeline.${cat}" must be an object of scripts`);
      }
      const m: Record<string, string> = {};
      for (const [name, b64] of Object.entries(scripts as Record<string, unknown>)) {
        if (typeof b64 !== 'string')
          throw bad('invalidRequest', `json: "pipeline.${cat}.${name}" must be a string`);
        m[name] = b64;
      }
      pipeline[cat] = m;
    }
  }
  let data: string[] = [];
  if (o.data !== undefined && o.data !== null) {
    if (!Array.isArray(o.data) || !o.data.every((d) => typeof d === 'string')) {
      throw bad('invalidRequest', 'json: "data" must be a list of strings');
    }
    data = o.data as string[];
  }
  return {
    pipeline,
    scriptName: field(o, 'script_name', 'string', ''),
    category: field(o, 'category', 'string', ''),
    data,
    dataType: field(o, 'data_type', 'string', ''),
    encode: field(o, 'encode', 'string', ''),
    benchmark: field(o, 'benchmark', 'boolean', false),
    timezone: field(o, 'timezone', 'string', ''),
  };
}

function categoryOf(s: string): Category | undefined {
  return categoryFromName(s.startsWith('/v1/write/') ? s.slice('/v1/write/'.length) : s);
}

/** Text of a message in `encode` (gbk, gb18030, utf-16le, …); unknown names read as UTF-8, as in DataKit. */
function decodeText(bytes: Uint8Array, encode: string): string {
  const label = encode.toLowerCase();
  if (label !== '' && label !== 'utf8' && label !== 'utf-8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // not a known encoding: fall through
    }
  }
  return new TextDecoder().decode(bytes);
}

function checkZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw bad('invalidData', `unknown time zone ${JSON.stringify(tz)}`);
  }
}

function inputPoints(req: DebugRequest, category: Category, now: bigint): Point[] {
  const messageOnly = req.dataType.includes('text/plain') || (req.dataType === '' && category === 'logging');
  const out: Point[] = [];
  for (let i = 0; i < req.data.length; i++) {
    const bytes = strictBase64(req.data[i]!);
    if (bytes === null) throw bad('invalidData', `data[${i}]: illegal base64 data`);
    if (bytes.length > DATA_SIZE_LIMIT) throw bad('invalidData', 'data size exceeds 32MB limit');
    if (messageOnly) {
      const fields = new Map<string, FieldValue>([['message', decodeText(bytes, req.encode)]]);
      out.push(new Point(req.scriptName, new Map(), fields, now, category));
      continue;
    }
    const res = decodeBody(bytes, req.dataType === '' ? undefined : req.dataType, { category, now });
    if (res.errors.length > 0) {
      throw bad('invalidData', `data[${i}]: ${res.errors.map((e) => e.message).join('; ')}`);
    }
    for (const p of res.points) out.push(p);
  }
  return out;
}

function pointJson(pt: Point, dropped: boolean): Record<string, unknown> {
  let sec = pt.time / 1_000_000_000n;
  let ns = pt.time % 1_000_000_000n;
  if (ns < 0n) {
    sec -= 1n;
    ns += 1_000_000_000n;
  }
  return {
    dropped,
    name: pt.name,
    tags: Object.fromEntries(pt.tags),
    fields: Object.fromEntries(pt.fields),
    time: sec,
    time_ns: ns,
  };
}

/** The JSON text of the answer to a debug request (already parsed from JSON). */
export async function runPipelineDebug(body: unknown, deps: DebugRunDeps): Promise<string> {
  const req = parseRequest(body);
  const category = categoryOf(req.category);
  if (category === undefined) throw bad('invalidCategory', 'invalid category');
  const encoded = req.pipeline[req.category];
  if (encoded === undefined || Object.keys(encoded).length === 0 || !(req.scriptName in encoded)) {
    throw bad('invalidPipeline', 'invalid pipeline');
  }
  const sources: ScriptSource[] = [];
  for (const [name, b64] of Object.entries(encoded)) {
    const bytes = strictBase64(b64);
    if (bytes === null) throw bad('invalidData', `script ${name}: illegal base64 data`);
    if (bytes.length > SCRIPT_SIZE_LIMIT) throw bad('invalidData', 'script size exceeds 1MB limit');
    sources.push({ category, name: `${name}.p`, path: null, text: bytes.toString('utf8') });
  }
  if (req.timezone !== '') checkZone(req.timezone);

  const set = await compileScriptSet(sources, { registry: deps.registry, services: deps.services });
  const target = set.get(category, `${req.scriptName}.p`);
  if (target === undefined) {
    const p = set.problem(category, `${req.scriptName}.p`);
    const errors = p === undefined ? [] : [plError(p.error)];
    return plainJson({ content: { cost: '', benchmark: '', pl_errors: errors, plresults: [] } });
  }

  const now = deps.now?.() ?? BigInt(Date.now()) * 1_000_000n;
  const points = inputPoints(req, category, now);
  const benchInput = req.benchmark && points.length > 0 ? points[0]!.clone() : null;
  const runOpts = req.timezone === '' ? {} : { tz: req.timezone };
  const results: Record<string, unknown>[] = [];
  const t0 = process.hrtime.bigint();
  for (const pt of points) {
    const r = target.script.run(pt, runOpts);
    if (r.error !== undefined) {
      results.push({ point: null, create_point: null, run_error: plError(r.error) });
      continue;
    }
    const created = r.subPoints.length === 0 ? null : r.subPoints.map((sp) => pointJson(sp, false));
    results.push({ point: pointJson(pt, r.dropped), create_point: created, run_error: null });
  }
  const cost = goDuration(process.hrtime.bigint() - t0);
  let benchmark = '';
  if (benchInput !== null) {
    const b = await autoBenchmarkYielding(target.script, [benchInput], deps.benchmarkMs ?? 1000, runOpts.tz);
    benchmark = goBenchmarkResult(b.n, b.nsPerOp);
  }
  return plainJson({ content: { cost, benchmark, pl_errors: [], plresults: results } });
}
