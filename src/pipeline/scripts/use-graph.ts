/**
 * `use("x.p")` dependencies: which scripts a script calls, learned while it
 * compiles (so no second parse), and the cycle check run before a set of
 * scripts is published. `use()` resolves at run time by name inside the
 * caller's namespace and category; a cycle there would recurse forever, so
 * a script that closes one is refused with a compile error naming the
 * chain, at the `use` call that closes it.
 */
import type { CallSite, FuncDef, FuncRegistry } from '../lang/func-api.js';

export interface UseRef {
  /** The script named, e.g. `b.p`. */
  name: string;
  /** Offset of the `use(...)` call in the caller's source. */
  pos: number;
}

/** Wraps a registry so `use` call sites are recorded as they compile. */
export class UseRecordingRegistry implements FuncRegistry {
  readonly uses: UseRef[] = [];
  readonly #base: FuncRegistry;
  #wrapped: FuncDef | null = null;

  constructor(base: FuncRegistry) {
    this.#base = base;
  }

  get(name: string): FuncDef | undefined {
    const def = this.#base.get(name);
    if (name !== 'use' || def === undefined) return def;
    if (this.#wrapped === null) {
      const uses = this.uses;
      this.#wrapped = {
        name: def.name,
        params: def.params,
        compile(call: CallSite) {
          const target = call.stringLiteral(0, 'param name');
          uses.push({ name: target, pos: call.node.start });
          return def.compile(call);
        },
      };
    }
    return this.#wrapped;
  }
}

/** A node of the graph: its `use` edges in source order. */
export interface UseNode {
  uses: readonly UseRef[];
}

/**
 * The first cycle reachable in `graph`, as the chain of names from a
 * script back to itself (`['a.p', 'b.p', 'a.p']`), or null. Names missing
 * from the graph are leaves (`use` of an absent script does nothing).
 */
export function findCycle(graph: ReadonlyMap<string, UseNode>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    const node = graph.get(name);
    if (node === undefined) return null;
    const s = state.get(name);
    if (s === 2) return null;
    if (s === 1) return [...path.slice(path.indexOf(name)), name];
    state.set(name, 1);
    path.push(name);
    for (const u of node.uses) {
      const c = visit(u.name);
      if (c !== null) return c;
    }
    path.pop();
    state.set(name, 2);
    return null;
  };
  for (const name of [...graph.keys()].sort()) {
    const c = visit(name);
    if (c !== null) return c;
  }
  return null;
}
