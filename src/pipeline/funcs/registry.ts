/**
 * The function registry: a name → `FuncDef` table the compiler consults
 * for every call. Registries are values, not globals: build one with
 * `new Registry([...defs])` (or extend the default with `.with(...)`) and
 * hand it to `compileScript`.
 */
import type { FuncDef, FuncRegistry } from '../lang/func-api.js';

export class Registry implements FuncRegistry {
  readonly #defs = new Map<string, FuncDef>();

  constructor(defs: Iterable<FuncDef> = []) {
    for (const d of defs) this.#defs.set(d.name, d);
  }

  get(name: string): FuncDef | undefined {
    return this.#defs.get(name);
  }

  has(name: string): boolean {
    return this.#defs.has(name);
  }

  names(): string[] {
    return [...this.#defs.keys()].sort();
  }

  /** A new registry with these definitions added (replacing same-named ones). */
  with(...defs: FuncDef[]): Registry {
    return new Registry([...this.#defs.values(), ...defs]);
  }
}

/** Small helper so each family file reads as a table of definitions. */
export function defineFunc(def: FuncDef): FuncDef {
  return def;
}
