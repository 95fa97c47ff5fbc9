/**
 * Which script name a category's points are routed to when their input
 * named none: the relation table pulled from DataWay (`source → script`
 * per category), the category defaults pulled from DataWay (`asDefault`)
 * and the `[pipeline.default_pipeline]` table of datakit.conf. A pulled
 * default wins over the configured one, as the remote namespace wins over
 * the local ones. Immutable: a pull builds a new one and swaps it in.
 */
import type { Category } from '../../point/category.js';

export interface RelationEntry {
  category: Category;
  source: string;
  /** Script name as DataWay sends it, with `.p`. */
  name: string;
}

type CategoryMap<V> = ReadonlyMap<Category, V>;

export class Routing {
  static readonly EMPTY = new Routing(new Map(), new Map(), new Map());

  readonly #relations: CategoryMap<ReadonlyMap<string, string>>;
  readonly #remoteDefaults: CategoryMap<string>;
  readonly #configDefaults: CategoryMap<string>;

  constructor(
    relations: CategoryMap<ReadonlyMap<string, string>>,
    remoteDefaults: CategoryMap<string>,
    configDefaults: CategoryMap<string>,
  ) {
    this.#relations = relations;
    this.#remoteDefaults = remoteDefaults;
    this.#configDefaults = configDefaults;
  }

  static of(
    relations: readonly RelationEntry[],
    remoteDefaults: Partial<Record<Category, string>>,
    configDefaults: Partial<Record<Category, string>>,
  ): Routing {
    const rel = new Map<Category, Map<string, string>>();
    for (const r of relations) {
      let m = rel.get(r.category);
      if (m === undefined) rel.set(r.category, (m = new Map()));
      m.set(r.source, r.name);
    }
    return new Routing(rel, toMap(remoteDefaults), toMap(configDefaults));
  }

  relation(category: Category, source: string): string | undefined {
    return this.#relations.get(category)?.get(source);
  }

  defaultFor(category: Category): string | undefined {
    return this.#remoteDefaults.get(category) ?? this.#configDefaults.get(category);
  }

  /** A copy with the pulled parts replaced and the configured defaults kept. */
  withRemote(
    relations: readonly RelationEntry[],
    remoteDefaults: Partial<Record<Category, string>>,
  ): Routing {
    const fresh = Routing.of(relations, remoteDefaults, {});
    return new Routing(fresh.#relations, fresh.#remoteDefaults, this.#configDefaults);
  }

  withConfigDefaults(configDefaults: Partial<Record<Category, string>>): Routing {
    return new Routing(this.#relations, this.#remoteDefaults, toMap(configDefaults));
  }

  /** The pulled relation table as entries (for persistence and the debug API). */
  relations(): RelationEntry[] {
    const out: RelationEntry[] = [];
    for (const [category, m] of this.#relations)
      for (const [source, name] of m) out.push({ category, source, name });
    return out;
  }

  remoteDefaults(): Partial<Record<Category, string>> {
    return Object.fromEntries(this.#remoteDefaults) as Partial<Record<Category, string>>;
  }

  configDefaults(): Partial<Record<Category, string>> {
    return Object.fromEntries(this.#configDefaults) as Partial<Record<Category, string>>;
  }
}

function toMap(o: Partial<Record<Category, string>>): Map<Category, string> {
  const m = new Map<Category, string>();
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string' && v !== '') m.set(k as Category, v);
  return m;
}
