/**
 * The published view of every compiled script: per namespace, per
 * category, by name, plus the shadowed lookup (remote > confd > gitrepo >
 * default) selection uses. Immutable once built; the store builds a new
 * one on every change and swaps it in with one assignment, so a batch
 * that read the index sees one consistent set of scripts.
 */
import type { Category } from '../../point/category.js';
import type { Script } from '../lang/script.js';
import { NAMESPACES, type Namespace } from './namespaces.js';
import type { UseRef } from './use-graph.js';

/** A script that compiled and serves. */
export interface ScriptRecord {
  readonly ns: Namespace;
  readonly category: Category;
  /** File name with `.p`. */
  readonly name: string;
  /** Where it was read from; null for scripts given in memory. */
  readonly path: string | null;
  readonly source: string;
  readonly script: Script;
  readonly uses: readonly UseRef[];
  /** ms since epoch when this version was compiled. */
  readonly loadedAt: number;
}

export type CategoryScripts = ReadonlyMap<string, ScriptRecord>;
export type NamespaceScripts = ReadonlyMap<Category, CategoryScripts>;

const NONE: CategoryScripts = new Map();

export class ScriptIndex {
  static readonly EMPTY = new ScriptIndex(new Map());

  readonly #byNs: ReadonlyMap<Namespace, NamespaceScripts>;
  readonly #shadowed: Map<Category, Map<string, ScriptRecord>>;

  constructor(byNs: ReadonlyMap<Namespace, NamespaceScripts>) {
    this.#byNs = byNs;
    this.#shadowed = new Map();
    // Lowest priority first, so a higher namespace overwrites.
    for (let i = NAMESPACES.length - 1; i >= 0; i--) {
      const cats = byNs.get(NAMESPACES[i]!);
      if (cats === undefined) continue;
      for (const [category, scripts] of cats) {
        let m = this.#shadowed.get(category);
        if (m === undefined) this.#shadowed.set(category, (m = new Map()));
        for (const [name, rec] of scripts) m.set(name, rec);
      }
    }
  }

  /** The script selection sees for `name` (highest namespace wins). */
  get(category: Category, name: string): ScriptRecord | undefined {
    return this.#shadowed.get(category)?.get(name);
  }

  /** The script of one namespace (what `use()` resolves against). */
  getIn(ns: Namespace, category: Category, name: string): ScriptRecord | undefined {
    return this.#byNs.get(ns)?.get(category)?.get(name);
  }

  namespace(ns: Namespace): NamespaceScripts {
    return this.#byNs.get(ns) ?? new Map();
  }

  category(ns: Namespace, category: Category): CategoryScripts {
    return this.#byNs.get(ns)?.get(category) ?? NONE;
  }

  /** A new index with one namespace replaced. */
  with(ns: Namespace, scripts: NamespaceScripts): ScriptIndex {
    const next = new Map(this.#byNs);
    next.set(ns, scripts);
    return new ScriptIndex(next);
  }

  /** Every serving script, in namespace order, then category and name. */
  all(): ScriptRecord[] {
    const out: ScriptRecord[] = [];
    for (const ns of NAMESPACES) {
      const cats = this.#byNs.get(ns);
      if (cats === undefined) continue;
      for (const category of [...cats.keys()].sort()) {
        const m = cats.get(category)!;
        for (const name of [...m.keys()].sort()) out.push(m.get(name)!);
      }
    }
    return out;
  }

  /** Whether `rec` is the one selection sees, or shadowed by a higher namespace. */
  isShadowed(rec: ScriptRecord): boolean {
    return this.get(rec.category, rec.name) !== rec;
  }
}
