/**
 * @module pipeline — compile Platypus scripts and run them on points.
 *
 * `compileScript(source, { name, category, registry?, services? })` returns
 * `{ ok: true, script }` or `{ ok: false, error }` (a `PlkScriptError` with
 * position). `script.run(point, { tz?, limits?, services? })` mutates the
 * point in place and returns `{ dropped, error?, subPoints }`; a run-time
 * fault leaves the point as the script left it and is returned in `error`.
 */

import { defaultRegistry } from './funcs/index.js';
import type { PlkScriptError } from './lang/errors.js';
import type { FuncRegistry } from './lang/func-api.js';
import { Script } from './lang/script.js';

export { defaultRegistry, type PipelineServices, Registry, TIER1_FUNCS } from './funcs/index.js';
export { PlkScriptError } from './lang/errors.js';
export type { CallSite, Eval, FuncDef, FuncRegistry, ParamSpec } from './lang/func-api.js';
export { lineInfo, lineText } from './lang/position.js';
export type { RunLimits } from './lang/run-state.js';
export { type RunOptions, type RunResult, Script } from './lang/script.js';

export interface CompileOptions {
  /** Script name for error positions, e.g. `nginx.p`. */
  name: string;
  category?: string;
  registry?: FuncRegistry;
  services?: unknown;
}

let shared: FuncRegistry | null = null;

export function compileScript(
  source: string,
  opts: CompileOptions,
): { ok: true; script: Script } | { ok: false; error: PlkScriptError } {
  if (opts.registry === undefined && shared === null) shared = defaultRegistry();
  const registry = opts.registry ?? shared!;
  try {
    const script = new Script(source, {
      name: opts.name,
      category: opts.category ?? 'logging',
      registry,
      services: opts.services,
    });
    return { ok: true, script };
  } catch (e) {
    if (e !== null && typeof e === 'object' && (e as { name?: string }).name === 'PlkScriptError') {
      return { ok: false, error: e as PlkScriptError };
    }
    throw e;
  }
}
