/**
 * Turns what a namespace folder holds now into the next set of serving
 * scripts, given the set serving before:
 *
 * - a script whose text (and the namespace's grok patterns) did not change
 *   keeps its compiled version, and a text that failed before is not
 *   compiled again;
 * - a changed or new script is compiled; if that fails, the previous
 *   version (if any) keeps serving and the failure is reported;
 * - a script whose file is gone stops serving;
 * - a `use()` cycle is refused: the changed scripts on the cycle are
 *   treated as failed (their previous versions were acyclic, so putting
 *   them back cannot close a cycle), until no cycle is left.
 *
 * Compiling is synchronous per script; the loader yields to the event loop
 * between scripts so a large reload never stalls intake for long.
 */
import type { Category } from '../../point/category.js';
import { PlkScriptError } from '../lang/errors.js';
import type { FuncRegistry } from '../lang/func-api.js';
import { compileScript } from '../lang/script.js';
import type { Namespace } from './namespaces.js';
import type { NamespaceScripts, ScriptRecord } from './script-index.js';
import { findCycle, type UseNode, UseRecordingRegistry } from './use-graph.js';

/** A script's text as read (from a file, a pull, or a debug request). */
export interface ScriptSource {
  category: Category;
  name: string;
  path: string | null;
  text: string;
}

/** A script that does not compile (or closes a `use` cycle). */
export interface ScriptProblem {
  readonly ns: Namespace;
  readonly category: Category;
  readonly name: string;
  readonly path: string | null;
  /** The text that failed. */
  readonly source: string;
  readonly error: PlkScriptError;
  /** ms since epoch of the failed attempt. */
  readonly at: number;
  /** An older version keeps serving. */
  readonly serving: boolean;
}

export interface NamespaceState {
  readonly scripts: NamespaceScripts;
  /** By `<category>/<name>`. */
  readonly problems: ReadonlyMap<string, ScriptProblem>;
  /** Identity of the grok patterns the scripts were compiled with. */
  readonly patternsKey: string;
}

export const EMPTY_NAMESPACE: NamespaceState = { scripts: new Map(), problems: new Map(), patternsKey: '' };

export interface LoadOptions {
  ns: Namespace;
  registry: FuncRegistry;
  /** Services the namespace's scripts compile with (resolveScript, grok, …). */
  services: unknown;
  patternsKey: string;
  now?: () => number;
}

export interface LoadOutcome {
  state: NamespaceState;
  /** Versions compiled and now serving. */
  compiled: ScriptRecord[];
  /** Failures found in this load (not the ones already known). */
  failed: ScriptProblem[];
  /** `<category>/<name>` of scripts that stopped serving because their file is gone. */
  removed: string[];
}

const keyOf = (category: string, name: string): string => `${category}/${name}`;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Compile one script, recording its `use()` calls. */
export function compileSource(
  src: ScriptSource,
  ns: Namespace,
  registry: FuncRegistry,
  services: unknown,
  now: number,
): { ok: true; record: ScriptRecord } | { ok: false; error: PlkScriptError } {
  const rec = new UseRecordingRegistry(registry);
  const r = compileScript(src.text, { name: src.name, category: src.category, registry: rec, services });
  if (!r.ok) return r;
  return {
    ok: true,
    record: {
      ns,
      category: src.category,
      name: src.name,
      path: src.path,
      source: src.text,
      script: r.script,
      uses: rec.uses,
      loadedAt: now,
    },
  };
}

export async function loadNamespace(
  prev: NamespaceState,
  sources: readonly ScriptSource[],
  opts: LoadOptions,
): Promise<LoadOutcome> {
  const now = opts.now ?? Date.now;
  const patternsChanged = opts.patternsKey !== prev.patternsKey;
  const next = new Map<string, ScriptRecord>();
  const fresh = new Map<string, ScriptRecord>(); // compiled in this load
  const problems = new Map<string, ScriptProblem>();
  const failed: ScriptProblem[] = [];
  const seen = new Set<string>();
  let lastYield = performance.now();

  for (const src of sources) {
    const key = keyOf(src.category, src.name);
    seen.add(key);
    const old = prev.scripts.get(src.category)?.get(src.name);
    if (!patternsChanged && old !== undefined && old.source === src.text && old.path === src.path) {
      next.set(key, old);
      continue;
    }
    const known = prev.problems.get(key);
    if (!patternsChanged && known !== undefined && known.source === src.text) {
      problems.set(key, known);
      if (old !== undefined) next.set(key, old);
      continue;
    }
    const t = now();
    const r = compileSource(src, opts.ns, opts.registry, opts.services, t);
    if (r.ok) {
      next.set(key, r.record);
      fresh.set(key, r.record);
    } else {
      const p = problem(opts.ns, src, r.error, t, old !== undefined);
      problems.set(key, p);
      failed.push(p);
      if (old !== undefined) next.set(key, old);
    }
    if (performance.now() - lastYield > 10) {
      await yieldToLoop();
      lastYield = performance.now();
    }
  }

  refuseCycles(prev, next, fresh, problems, failed, opts.ns, now());

  const removed: string[] = [];
  for (const [category, m] of prev.scripts) {
    for (const name of m.keys()) if (!seen.has(keyOf(category, name))) removed.push(keyOf(category, name));
  }
  const scripts = new Map<Category, Map<string, ScriptRecord>>();
  for (const rec of next.values()) {
    let m = scripts.get(rec.category);
    if (m === undefined) scripts.set(rec.category, (m = new Map()));
    m.set(rec.name, rec);
  }
  return {
    state: { scripts, problems, patternsKey: opts.patternsKey },
    compiled: [...fresh.values()].filter((r) => next.get(keyOf(r.category, r.name)) === r),
    failed,
    removed,
  };
}

function problem(
  ns: Namespace,
  src: ScriptSource,
  error: PlkScriptError,
  at: number,
  serving: boolean,
): ScriptProblem {
  return { ns, category: src.category, name: src.name, path: src.path, source: src.text, error, at, serving };
}

function refuseCycles(
  prev: NamespaceState,
  next: Map<string, ScriptRecord>,
  fresh: Map<string, ScriptRecord>,
  problems: Map<string, ScriptProblem>,
  failed: ScriptProblem[],
  ns: Namespace,
  at: number,
): void {
  const categories = new Set<Category>();
  for (const r of fresh.values()) categories.add(r.category);
  for (const category of categories) {
    for (;;) {
      const graph = new Map<string, UseNode>();
      for (const r of next.values()) if (r.category === category) graph.set(r.name, r);
      const cycle = findCycle(graph);
      if (cycle === null) break;
      let refused = 0;
      for (let i = 0; i < cycle.length - 1; i++) {
        const key = keyOf(category, cycle[i]!);
        const rec = next.get(key)!;
        if (fresh.get(key) !== rec) continue;
        refused++;
        const use = rec.uses.find((u) => u.name === cycle[i + 1]) ?? rec.uses[0]!;
        const chain = [...cycle.slice(i, -1), ...cycle.slice(0, i + 1)].join(' -> ');
        const error = new PlkScriptError(
          'PLK_ERR_COMPILE',
          `circular use: ${chain}`,
          rec.source,
          rec.name,
          use.pos,
        );
        const old = prev.scripts.get(category)?.get(rec.name);
        const p = problem(
          ns,
          { category, name: rec.name, path: rec.path, text: rec.source },
          error,
          at,
          old !== undefined,
        );
        problems.set(key, p);
        failed.push(p);
        fresh.delete(key);
        if (old !== undefined) next.set(key, old);
        else next.delete(key);
      }
      if (refused === 0) {
        // Cannot happen while served sets stay acyclic; drop the cycle rather than loop.
        for (let i = 0; i < cycle.length - 1; i++) next.delete(keyOf(category, cycle[i]!));
      }
    }
  }
}
