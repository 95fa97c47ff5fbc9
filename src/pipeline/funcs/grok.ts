/**
 * grok(input, pattern, trim_space=true) and add_pattern(name, pattern).
 *
 * Patterns resolve against, innermost first: patterns added with
 * add_pattern in the enclosing blocks (each block gets its own scope, as in
 * DataKit), the namespace's `pattern/` files (`services.grok`), then the
 * default library. A literal grok pattern is compiled once, at compile
 * time, so an unknown `%{NAME}` is a compile error like in DataKit; a
 * computed pattern is compiled (and cached by the library) at run time.
 */
import {
  type CompiledGrok,
  castGrokValue,
  defaultGrokLibrary,
  GrokLibrary,
  goTrimSpace,
  isGrokError,
} from '../grok/index.js';
import { RunFault } from '../lang/errors.js';
import type { CallSite, FuncDef } from '../lang/func-api.js';
import { intern } from '../lang/intern.js';
import type { RunState } from '../lang/run-state.js';
import { toGoBool } from '../lang/values.js';
import { defineFunc } from './registry.js';
import { servicesOf } from './services.js';

/** Block-data key of the add_pattern scopes. */
const GROK_SCOPE = Symbol('grok-scope');

function baseLibrary(services: unknown): GrokLibrary {
  const lib = servicesOf(services).grok;
  return lib instanceof GrokLibrary ? lib : defaultGrokLibrary();
}

/** The library a grok call at this point of the script sees. */
function libraryAt(call: CallSite): GrokLibrary {
  return call.lookupBlockData<GrokLibrary>(GROK_SCOPE) ?? baseLibrary(call.services);
}

export const addPattern = defineFunc({
  name: 'add_pattern',
  params: [{ name: 'name' }, { name: 'pattern' }],
  compile(call) {
    const name = call.stringLiteral(0, 'pattern name');
    const pattern = call.stringLiteral(1, 'pattern');
    const lib = call.blockData<GrokLibrary>(GROK_SCOPE, (outer) =>
      (outer ?? baseLibrary(call.services)).child(),
    );
    const err = lib.addPattern(name, pattern);
    if (err !== null) call.fail(err.message, 1);
    return () => null;
  },
});

/**
 * Writes a match straight to the point: the same steps as
 * `CompiledGrok.run` (capture, trim, typed cast) without its two
 * intermediate arrays, as this runs for every point.
 */
function applyMatch(
  r: RunState,
  g: CompiledGrok,
  keys: readonly string[],
  text: string,
  trim: boolean,
): boolean {
  const m = g.exec(text);
  if (m === null) return false;
  const groups = g.groups;
  const types = g.types;
  for (let i = 0; i < keys.length; i++) {
    const raw = m[groups[i]!];
    const v = raw === undefined ? '' : trim ? goTrimSpace(raw) : raw;
    const t = types[i]!;
    r.setKey(keys[i]!, t === null ? v : castGrokValue(t, v));
  }
  return true;
}

export const grok = defineFunc({
  name: 'grok',
  params: [{ name: 'input' }, { name: 'pattern' }, { name: 'trim_space', optional: true }],
  compile(call) {
    const input = call.value(0);
    const trimLit = call.has(2) ? call.literal(2) : true;
    const trimEval = trimLit === undefined ? call.value(2) : null;
    const trimConst = trimLit === undefined ? true : toGoBool(trimLit);
    const lit = call.literal(1);
    if (typeof lit === 'string') {
      const g = libraryAt(call).compile(lit);
      if (isGrokError(g)) call.fail(g.message, 1);
      const compiled = g as CompiledGrok;
      // capture names are sliced from the pattern; interned, point lookups of them compare pointers
      const keys = compiled.keys.map(intern);
      return (r) => {
        const v = input(r);
        if (typeof v !== 'string') return false;
        return applyMatch(r, compiled, keys, v, trimEval === null ? trimConst : toGoBool(trimEval(r)));
      };
    }
    const pattern = call.value(1);
    const lib = libraryAt(call);
    return (r) => {
      const v = input(r);
      const p = pattern(r);
      if (typeof v !== 'string') return false;
      if (typeof p !== 'string')
        throw new RunFault(`grok: pattern must be a string, got ${p === null ? 'nil' : typeof p}`);
      const g = lib.compile(p);
      if (isGrokError(g)) throw new RunFault(`grok: ${g.message}`);
      return applyMatch(r, g, g.keys, v, trimEval === null ? trimConst : toGoBool(trimEval(r)));
    };
  },
});

export const GROK_FUNCS: readonly FuncDef[] = [addPattern, grok];
