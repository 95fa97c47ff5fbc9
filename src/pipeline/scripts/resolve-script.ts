/**
 * Finds a script by bare name the way the agent would serve it, for
 * `plkit pipeline -P nginx` (DataKit's habit): load the namespaces of an
 * install folder once (no watching), then look the name up in one
 * namespace or, without one, through the shadowing order. The record
 * comes compiled with its namespace's services, so `use()` and the
 * namespace's grok patterns work as in the agent.
 */
import { configPaths } from '../../config/load.js';
import type { Category } from '../../point/category.js';
import type { ScriptProblem } from './namespace-loader.js';
import { type Namespace, namespaceFolders } from './namespaces.js';
import { scriptFileName } from './remote-answer.js';
import type { ScriptRecord } from './script-index.js';
import { ScriptStore, type ScriptStoreOptions } from './script-store.js';

export type ResolvedScript =
  | { ok: true; record: ScriptRecord }
  | { ok: false; problem: ScriptProblem }
  | { ok: false; problem: null; message: string };

export async function resolveStoreScript(opts: {
  workdir: string;
  name: string;
  category: Category;
  ns?: Namespace;
  store?: Partial<ScriptStoreOptions>;
}): Promise<ResolvedScript> {
  const store = new ScriptStore({
    folders: namespaceFolders(configPaths(opts.workdir)),
    ...opts.store,
    watch: false,
  });
  await store.start();
  await store.stop();
  const name = scriptFileName(opts.name);
  const rec =
    opts.ns === undefined
      ? store.index.get(opts.category, name)
      : store.index.getIn(opts.ns, opts.category, name);
  if (rec !== undefined) return { ok: true, record: rec };
  const problem = store
    .problems()
    .find(
      (p) => p.name === name && p.category === opts.category && (opts.ns === undefined || p.ns === opts.ns),
    );
  if (problem !== undefined) return { ok: false, problem };
  const where = opts.ns === undefined ? 'any namespace' : `namespace ${opts.ns}`;
  return {
    ok: false,
    problem: null,
    message: `script ${name} (category ${opts.category}) not found in ${where} under ${opts.workdir}`,
  };
}
