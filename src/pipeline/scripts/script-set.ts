/**
 * A set of scripts given in memory, compiled as one namespace of their
 * own: `use()` resolves among them, cycles are refused, as in the store.
 * The debug API compiles the scripts of a request this way.
 */
import type { Category } from '../../point/category.js';
import type { FuncRegistry } from '../lang/func-api.js';
import { EMPTY_NAMESPACE, loadNamespace, type ScriptProblem, type ScriptSource } from './namespace-loader.js';
import type { Namespace } from './namespaces.js';
import type { NamespaceScripts, ScriptRecord } from './script-index.js';

export interface ScriptSet {
  scripts: NamespaceScripts;
  problems: ReadonlyMap<string, ScriptProblem>;
  get(category: Category, name: string): ScriptRecord | undefined;
  problem(category: Category, name: string): ScriptProblem | undefined;
}

export async function compileScriptSet(
  sources: readonly ScriptSource[],
  opts: { registry: FuncRegistry; services?: Readonly<Record<string, unknown>>; ns?: Namespace },
): Promise<ScriptSet> {
  let published: NamespaceScripts = new Map();
  const services = {
    ...opts.services,
    resolveScript: (name: string, category: string) =>
      published.get(category as Category)?.get(name)?.script ?? null,
  };
  const out = await loadNamespace(EMPTY_NAMESPACE, sources, {
    ns: opts.ns ?? 'default',
    registry: opts.registry,
    services,
    patternsKey: '',
  });
  published = out.state.scripts;
  const problems = out.state.problems;
  return {
    scripts: published,
    problems,
    get: (category, name) => published.get(category)?.get(name),
    problem: (category, name) => problems.get(`${category}/${name}`),
  };
}
