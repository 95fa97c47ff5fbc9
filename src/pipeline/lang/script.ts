/**
 * A compiled script and its run: parse and compile once, then run on any
 * number of points. `run` mutates the point in place and applies what
 * DataKit applies after a script: the `time` key becomes the point time
 * (when it holds a non-zero int) and is removed, and the logging status is
 * normalised unless the script turned status mapping off. On a run-time
 * fault the point keeps what the script did before it, and the error is
 * returned, never thrown.
 */

import type { Point } from '../../point/point.js';
import { normalizeStatus } from '../../point/status.js';
import { Compiler, type Exec } from './compiler.js';
import { PlkScriptError } from './errors.js';
import type { FuncRegistry } from './func-api.js';
import { parse } from './parse-stmt.js';
import { DEFAULT_LIMITS, type RunLimits, RunState } from './run-state.js';

export interface CompileScriptOptions {
  /** Script name used in error positions, e.g. `nginx.p`. */
  name: string;
  category?: string;
  registry: FuncRegistry;
  services?: unknown;
}

export interface RunOptions {
  /** IANA zone used where DataKit falls back to local time. */
  tz?: string;
  limits?: Partial<RunLimits>;
  /** Overrides the services given at compile time. */
  services?: unknown;
}

export interface RunResult {
  dropped: boolean;
  error?: PlkScriptError;
  /** Points created by the script (`create_point`); read-only (frozen when empty). */
  subPoints: Point[];
}

const LOCAL_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export class Script {
  readonly name: string;
  readonly category: string;
  readonly source: string;
  private readonly exec: Exec;
  private readonly nslots: number;
  private readonly services: unknown;
  /** The state of the last finished run, reused by the next (see `run`). */
  private spare: RunState | null = null;

  constructor(source: string, opts: CompileScriptOptions) {
    this.name = opts.name;
    this.category = opts.category ?? 'logging';
    this.source = source;
    this.services = opts.services;
    const program = parse(source, opts.name);
    const compiler = new Compiler({
      source,
      sourceName: opts.name,
      category: this.category,
      registry: opts.registry,
      services: opts.services,
    });
    const compiled = compiler.compileProgram(program.body);
    this.exec = compiled.exec;
    this.nslots = compiled.nslots;
  }

  /** A fresh run state for `pt` (exposed for `use()`, which shares a run). */
  newState(pt: Point, opts: RunOptions = {}): RunState {
    const lim = opts.limits;
    return new RunState(
      pt,
      this.nslots,
      opts.tz ?? LOCAL_TZ,
      opts.services ?? this.services,
      lim === undefined ? DEFAULT_LIMITS : limitsOf(lim),
      this.source,
      this.name,
    );
  }

  /** Run the statements against an existing state's point (no post-processing). */
  execIn(r: RunState): void {
    this.exec(r);
  }

  /** Run on `pt` in place. */
  run(pt: Point, opts: RunOptions = NO_OPTIONS): RunResult {
    // One spare state per script: taken for the run, put back after it, so
    // a nested run of the same script (use() of itself) builds its own.
    let r = this.spare;
    if (r === null) r = this.newState(pt, opts);
    else {
      this.spare = null;
      const lim = opts.limits;
      r.reuse(
        pt,
        opts.tz ?? LOCAL_TZ,
        opts.services ?? this.services,
        lim?.maxSteps ?? DEFAULT_LIMITS.maxSteps,
        lim?.maxMillis ?? DEFAULT_LIMITS.maxMillis,
      );
    }
    let error: PlkScriptError | undefined;
    try {
      this.exec(r);
    } catch (e) {
      if (e instanceof PlkScriptError) error = e;
      else if (e instanceof RangeError) error = r.fault(`run failed: ${e.message}`, 0);
      else throw e;
    }
    finishPoint(pt, error === undefined && r.statusMapping);
    // the empty list is shared and frozen, so no result aliases the spare state's array
    const sub = r.subPoints.length === 0 ? NO_POINTS : r.subPoints;
    const res: RunResult =
      error === undefined
        ? { dropped: r.dropped, subPoints: sub }
        : { dropped: r.dropped, subPoints: sub, error };
    r.release();
    this.spare = r;
    return res;
  }
}

const NO_OPTIONS: RunOptions = {};
const NO_POINTS = Object.freeze([]) as unknown as Point[];

function limitsOf(lim: Partial<RunLimits>): RunLimits {
  return {
    maxSteps: lim.maxSteps ?? DEFAULT_LIMITS.maxSteps,
    maxMillis: lim.maxMillis ?? DEFAULT_LIMITS.maxMillis,
  };
}

/**
 * True when `normalizeStatus(s) === s`, for the values scripts and intake
 * leave behind, so the common point skips the lower-casing and the write.
 */
function isNormalStatus(s: string): boolean {
  switch (s) {
    case 'info':
    case 'warning':
    case 'error':
    case 'notice':
    case 'debug':
    case 'critical':
    case 'alert':
    case 'emerg':
    case 'OK':
    case 'unknown':
      return true;
    default:
      return false;
  }
}

/** DataKit's after-script steps: `time` key to point time, status mapping. */
export function finishPoint(pt: Point, mapStatus: boolean): void {
  const tags = pt.tags;
  const fields = pt.fields;
  const t = fields.get('time');
  if (t !== undefined) {
    if (typeof t === 'bigint' && t !== 0n) pt.time = t;
    fields.delete('time');
  } else if (tags.size !== 0) {
    tags.delete('time');
  }
  if (mapStatus && pt.category === 'logging') {
    const tag = tags.size === 0 ? undefined : tags.get('status');
    if (tag !== undefined) {
      if (!isNormalStatus(tag)) tags.set('status', normalizeStatus(tag));
    } else {
      const f = fields.get('status');
      if (f === undefined) return;
      if (typeof f !== 'string') fields.set('status', 'info');
      else if (!isNormalStatus(f)) fields.set('status', normalizeStatus(f));
    }
  }
}

export function compileScript(
  source: string,
  opts: CompileScriptOptions,
): { ok: true; script: Script } | { ok: false; error: PlkScriptError } {
  try {
    return { ok: true, script: new Script(source, opts) };
  } catch (e) {
    if (e instanceof PlkScriptError) return { ok: false, error: e };
    throw e;
  }
}
