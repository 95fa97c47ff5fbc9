/**
 * `plkit pipeline`: run a Pipeline script on input data, like DataKit's
 * `datakit pipeline`. The script (`-P`) is a file, or a bare name looked up
 * through the install folder's namespaces (`--workdir`, `--ns`,
 * `--category`) as the agent would serve it. Input is `-T TEXT` or a file
 * (`--input`/`--file`): `raw` input is one message (a point named NAME
 * with field `message`, through the category's intake checks); `lp` input
 * is line protocol, one point per line. `--json` prints one typed point
 * per line; a compile error prints `{"compile_error": …}` and exits with 2.
 * `--date` adds the point time in readable form. `--benchmark [N]`
 * compiles once and reports the cost per run (N runs, or as many as fit
 * in a second).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { HttpClient } from '../common/http-client.js';
import { formatIssue, loadConfig } from '../config/index.js';
import { compileScript, lineText, type PlkScriptError, type Script } from '../pipeline/index.js';
import { autoBenchmark, timeRuns } from '../pipeline/scripts/bench.js';
import { goDuration } from '../pipeline/scripts/go-format.js';
import { isNamespace } from '../pipeline/scripts/namespaces.js';
import { resolveStoreScript } from '../pipeline/scripts/resolve-script.js';
import { createPipelineServices } from '../pipeline/services/index.js';
import { type Category, categoryFromName } from '../point/category.js';
import { decodeLineProtocol } from '../point/codec/line-protocol.js';
import { normalizePoint } from '../point/normalize.js';
import { Point } from '../point/point.js';
import { toTyped, toTypedValue } from '../point/typed-json.js';
import type { FieldValue } from '../point/value.js';

export interface PipelineCommandOptions {
  /** A script file, or a bare script name resolved through the namespaces of `workdir`. */
  script: string;
  category?: string;
  name?: string;
  format?: 'raw' | 'lp';
  time?: string;
  /** Input file (`--input` / `--file`). */
  input?: string;
  /** Inline input (`-T`). */
  text?: string;
  json?: boolean;
  /** Runs: a count, or `true` for as many as fit in a second. */
  benchmark?: number | true;
  tz?: string;
  /** Namespace to take a bare script name from (default: the shadowing order). */
  ns?: string;
  /** Install folder holding pipeline/, pipeline_remote/, … (default: cwd). */
  workdir?: string;
  /** Show point times in readable form. */
  date?: boolean;
}

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

function parseTime(s: string | undefined): bigint | Error {
  if (s === undefined || s === '') return BigInt(Date.now()) * 1_000_000n;
  if (/^-?\d+$/.test(s)) return BigInt(s);
  const ms = Date.parse(s);
  if (Number.isNaN(ms))
    return new Error(`invalid --time ${JSON.stringify(s)}: use ns since epoch or RFC 3339`);
  const frac = /\.(\d+)/.exec(s)?.[1] ?? '';
  const subMs = frac.length > 3 ? BigInt(frac.slice(3, 9).padEnd(6, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + subMs;
}

/** `2024-01-01 08:00:00.123456789 +08:00` in `tz` (default: the process zone). */
export function readableTime(ns: bigint, tz?: string): string {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    sec -= 1n;
    frac += 1_000_000_000n;
  }
  const d = new Date(Number(sec) * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  const offset = p('timeZoneName').replace(/^GMT/, '') || '+00:00';
  const fraction = frac === 0n ? '' : `.${frac.toString().padStart(9, '0')}`;
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}${fraction} ${offset}`;
}

function caret(err: PlkScriptError, source: string): string {
  const line = lineText(source, err.pos);
  return `${err.short}\n  ${line}\n  ${' '.repeat(Math.max(0, err.loc.column - 1))}^`;
}

interface HumanOptions {
  date: boolean;
  tz?: string;
}

function human(
  pt: Point,
  dropped: boolean,
  runError: string | undefined,
  sub: boolean,
  o: HumanOptions,
): string {
  const out: string[] = [];
  out.push(`${sub ? 'sub-point' : 'point'} ${pt.name}${sub ? ` (${pt.category})` : ''}`);
  out.push(`  time    ${pt.time}${o.date ? ` (${readableTime(pt.time, o.tz)})` : ''}`);
  if (!sub) out.push(`  dropped ${dropped}`);
  for (const [k, v] of pt.tags) out.push(`  tag     ${k} = ${JSON.stringify(v)}`);
  for (const [k, v] of pt.fields) out.push(`  field   ${k} = ${renderValue(v)}`);
  if (runError !== undefined) out.push(`  run_error ${runError}`);
  return out.join('\n');
}

function renderValue(v: FieldValue): string {
  const t = toTypedValue(v);
  const [kind, val] = Object.entries(t)[0] as [string, unknown];
  return `${JSON.stringify(val)} (${kind})`;
}

function inputPoints(
  opts: PipelineCommandOptions,
  category: Category,
  text: string,
  io: CommandIO,
): Point[] | null {
  const time = parseTime(opts.time);
  if (time instanceof Error) {
    io.stderr(`${time.message}\n`);
    return null;
  }
  if ((opts.format ?? 'raw') === 'lp') {
    const res = decodeLineProtocol(text, { category, now: time });
    for (const e of res.errors) io.stderr(`line protocol: ${e.message}\n`);
    if (res.errors.length > 0 && res.points.length === 0) return null;
    return res.points;
  }
  const pt = new Point(opts.name ?? 'default', new Map(), new Map([['message', text]]), time, category);
  normalizePoint(pt, category);
  return [pt];
}

function benchmark(script: Script, points: Point[], opts: PipelineCommandOptions, io: CommandIO): void {
  let n: number;
  let nsPerOp: number;
  if (opts.benchmark === true) {
    ({ n, nsPerOp } = autoBenchmark(script, points, 1000, opts.tz));
  } else {
    n = opts.benchmark!;
    timeRuns(script, points, Math.min(n, 2000), opts.tz); // warm-up
    nsPerOp = timeRuns(script, points, n, opts.tz) / n;
  }
  if (opts.json) io.stdout(`${JSON.stringify({ ns_per_op: nsPerOp, iters: n })}\n`);
  else io.stdout(`benchmark: ${n} runs, ${goDuration(nsPerOp)} per run (${nsPerOp.toFixed(1)} ns/op)\n`);
}

function isBareName(s: string): boolean {
  return !s.includes('/') && !s.includes(sep) && !existsSync(s);
}

type LoadedScript = { ok: true; script: Script; source: string } | { ok: false; code: number };

function compileFailed(
  err: PlkScriptError,
  source: string,
  opts: PipelineCommandOptions,
  io: CommandIO,
): LoadedScript {
  if (opts.json) io.stdout(`${JSON.stringify({ compile_error: err.short })}\n`);
  else io.stderr(`compile error: ${caret(err, source)}\n`);
  return { ok: false, code: 2 };
}

async function loadScript(
  opts: PipelineCommandOptions,
  category: Category,
  io: CommandIO,
  services: unknown,
): Promise<LoadedScript> {
  if (opts.ns !== undefined && !isNamespace(opts.ns)) {
    io.stderr(`unknown namespace ${JSON.stringify(opts.ns)}: use remote, confd, gitrepo or default\n`);
    return { ok: false, code: 1 };
  }
  if (opts.ns !== undefined || isBareName(opts.script)) {
    const r = await resolveStoreScript({
      workdir: opts.workdir ?? process.cwd(),
      name: opts.script,
      category,
      ns: opts.ns !== undefined && isNamespace(opts.ns) ? opts.ns : undefined,
      store: { services: services as Readonly<Record<string, unknown>> },
    });
    if (r.ok) return { ok: true, script: r.record.script, source: r.record.source };
    if (r.problem !== null) return compileFailed(r.problem.error, r.problem.source, opts, io);
    io.stderr(`${r.message}\n`);
    return { ok: false, code: 1 };
  }
  let source: string;
  try {
    source = await readFile(opts.script, 'utf8');
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return { ok: false, code: 1 };
  }
  const compiled = compileScript(source, { name: basename(opts.script), category, services });
  if (!compiled.ok) return compileFailed(compiled.error, source, opts, io);
  return { ok: true, script: compiled.script, source };
}

async function inputText(opts: PipelineCommandOptions, io: CommandIO): Promise<string | null> {
  if (opts.text !== undefined && opts.input !== undefined) {
    io.stderr('give either -T TEXT or --input/--file FILE, not both\n');
    return null;
  }
  if (opts.text !== undefined) return opts.text;
  if (opts.input === undefined) {
    io.stderr('no input: give -T TEXT or --input/--file FILE\n');
    return null;
  }
  try {
    return await readFile(opts.input, 'utf8');
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return null;
  }
}

export async function pipelineCommand(opts: PipelineCommandOptions, io: CommandIO): Promise<number> {
  const category = categoryFromName(opts.category ?? 'logging');
  if (category === undefined) {
    io.stderr(`unknown category ${JSON.stringify(opts.category)}\n`);
    return 1;
  }
  if (opts.tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: opts.tz });
    } catch {
      io.stderr(`unknown time zone ${JSON.stringify(opts.tz)}\n`);
      return 1;
    }
  }
  const text = await inputText(opts, io);
  if (text === null) return 1;
  // Tier-3 functions (geoip, refer tables, http_request, caches, aggregation)
  // get their services from the install directory's configuration, as under
  // `plkit run`; aggregated points are printed when the command ends.
  const svc = toolServices(opts.workdir ?? process.cwd(), io);
  try {
    return await runWith(opts, category, text, io, svc.set.services);
  } finally {
    await svc.set.stop();
    await svc.http.close();
    for (const line of svc.flushed) io.stdout(line);
  }
}

function toolServices(workdir: string, io: CommandIO) {
  const res = loadConfig({ workdir });
  if (res.errors.length > 0)
    io.stderr(
      `configuration problems ignored by plkit pipeline: ${res.errors.map(formatIssue).join('; ')}\n`,
    );
  const http = new HttpClient({ timeoutMs: 10_000 });
  const flushed: string[] = [];
  const set = createPipelineServices(res.config, {
    http,
    aggSink: (category, _bucket, points) => {
      for (const p of points)
        flushed.push(`${JSON.stringify({ ...toTyped(p), category, sub_point: true })}\n`);
    },
  });
  set.start();
  return { set, http, flushed };
}

async function runWith(
  opts: PipelineCommandOptions,
  category: Category,
  text: string,
  io: CommandIO,
  services: unknown,
): Promise<number> {
  const loaded = await loadScript(opts, category, io, services);
  if (!loaded.ok) return loaded.code;
  const { script, source } = loaded;
  const points = inputPoints(opts, category, text, io);
  if (points === null) return 1;
  if (opts.benchmark !== undefined && (opts.benchmark === true || opts.benchmark > 0)) {
    benchmark(script, points, opts, io);
    return 0;
  }
  const ho: HumanOptions = { date: opts.date === true, tz: opts.tz };
  let failed = false;
  for (const pt of points) {
    const res = script.run(pt, { tz: opts.tz });
    const runError = res.error?.short;
    if (runError !== undefined) failed = true;
    if (opts.json) {
      const typed: Record<string, unknown> = { ...toTyped(pt, { dropped: res.dropped }) };
      if (runError !== undefined) typed.run_error = runError;
      if (ho.date) typed.date = readableTime(pt.time, opts.tz);
      io.stdout(`${JSON.stringify(typed)}\n`);
      for (const sp of res.subPoints) {
        const sub: Record<string, unknown> = {
          ...toTyped(sp, { dropped: false }),
          sub_point: true,
          category: sp.category,
        };
        if (ho.date) sub.date = readableTime(sp.time, opts.tz);
        io.stdout(`${JSON.stringify(sub)}\n`);
      }
    } else {
      io.stdout(`${human(pt, res.dropped, runError, false, ho)}\n`);
      if (res.error !== undefined) io.stderr(`run error: ${caret(res.error, source)}\n`);
      for (const sp of res.subPoints) io.stdout(`${human(sp, false, undefined, true, ho)}\n`);
    }
  }
  return failed ? 1 : 0;
}
