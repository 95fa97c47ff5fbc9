/**
 * The script store: every script of the four namespaces, compiled, kept
 * current, and published as one immutable `ScriptIndex` plus the
 * `Routing` (relations and defaults) selection needs.
 *
 * Loading reads a namespace folder, recompiles only what changed (see
 * namespace-loader.ts) and swaps the new index in with one assignment;
 * a batch in flight keeps the index it started with. Reloads are
 * serialized and coalesced: asking again while one runs queues exactly
 * one more pass. With `watch` on, folder changes trigger reloads by
 * themselves (see folder-watcher.ts); the remote puller asks for a reload
 * of `remote` after writing what it pulled.
 *
 * Failures are values: a script that does not compile is logged, counted
 * (`datakit_pipeline_compile_error_total`) and listed by `problems()`
 * (the debug API shows them); its last good version keeps serving.
 */

import { type Logger, silentLogger } from '../../common/logger.js';
import { Metrics } from '../../common/metrics.js';
import type { Category } from '../../point/category.js';
import { defaultRegistry } from '../funcs/index.js';
import { defaultGrokLibrary, type GrokLibrary } from '../grok/index.js';
import type { FuncRegistry } from '../lang/func-api.js';
import { FolderWatcher } from './folder-watcher.js';
import {
  EMPTY_NAMESPACE,
  loadNamespace,
  type NamespaceState,
  type ScriptProblem,
} from './namespace-loader.js';
import { NAMESPACES, type Namespace, type NamespaceFolders } from './namespaces.js';
import { type RelationEntry, Routing } from './routing.js';
import { type ScanProblem, scanNamespace } from './script-files.js';
import { ScriptIndex } from './script-index.js';
import { PipelineMetrics } from './script-metrics.js';

export interface ScriptStoreOptions {
  folders: NamespaceFolders;
  registry?: FuncRegistry;
  /** `[pipeline.default_pipeline]`: category → script name. */
  configDefaults?: Partial<Record<Category, string>>;
  /**
   * Builds a namespace's grok library from its `pattern/` files; the
   * result is handed to scripts as `services.grok`. Without it scripts get
   * the raw table as `services.grokPatterns` only.
   */
  grokLibrary?: (patterns: ReadonlyMap<string, string>) => unknown;
  /** Further services every script compiles with (caches, refer tables, …). */
  services?: Readonly<Record<string, unknown>>;
  metrics?: Metrics;
  logger?: Logger;
  /** Hot reload (default on); `false` loads only when asked. */
  watch?: false | { pollIntervalMs?: number; debounceMs?: number };
  now?: () => number;
}

interface NsServices {
  key: string;
  services: Record<string, unknown>;
}

export class ScriptStore {
  readonly #opts: ScriptStoreOptions;
  readonly #registry: FuncRegistry;
  readonly #log: Logger;
  readonly #metrics: PipelineMetrics;
  readonly #states = new Map<Namespace, NamespaceState>();
  readonly #fileProblems = new Map<Namespace, readonly ScanProblem[]>();
  readonly #services = new Map<Namespace, NsServices>();
  readonly #pending = new Set<Namespace>();
  #index: ScriptIndex = ScriptIndex.EMPTY;
  #routing: Routing;
  #draining: Promise<void> | null = null;
  #watcher: FolderWatcher | null = null;
  #started = false;

  constructor(opts: ScriptStoreOptions) {
    this.#opts = opts;
    this.#registry = opts.registry ?? defaultRegistry();
    this.#log = (opts.logger ?? silentLogger()).child({ component: 'pipeline-scripts' });
    this.#metrics = new PipelineMetrics(opts.metrics ?? new Metrics());
    this.#routing = Routing.of([], {}, opts.configDefaults ?? {});
  }

  /** The scripts selection sees right now. Read once per batch. */
  get index(): ScriptIndex {
    return this.#index;
  }

  get routing(): Routing {
    return this.#routing;
  }

  get folders(): NamespaceFolders {
    return this.#opts.folders;
  }

  /** Load every namespace, then (unless `watch: false`) follow changes. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    if (this.#opts.watch !== false) {
      const w = this.#opts.watch ?? {};
      this.#watcher = new FolderWatcher({
        folders: this.#opts.folders,
        onChange: (ns) => {
          void this.reload(ns);
        },
        pollIntervalMs: w.pollIntervalMs,
        debounceMs: w.debounceMs,
      });
      // Baseline first, so a change made while loading is still noticed.
      await this.#watcher.start();
    }
    await this.reload();
  }

  /** Stop watching; idempotent, safe without start. A reload in flight finishes. */
  async stop(): Promise<void> {
    const w = this.#watcher;
    this.#watcher = null;
    this.#pending.clear();
    if (w !== null) await w.stop();
    await this.#draining;
  }

  /** Re-read one namespace (or all) and publish what changed. */
  reload(ns?: Namespace): Promise<void> {
    for (const n of ns === undefined ? NAMESPACES : [ns]) this.#pending.add(n);
    if (this.#draining === null) {
      this.#draining = this.#drain().finally(() => {
        this.#draining = null;
      });
    }
    return this.#draining;
  }

  /** Apply what was pulled from DataWay: the relation table and the pulled defaults. */
  setRemoteRouting(relations: readonly RelationEntry[], defaults: Partial<Record<Category, string>>): void {
    this.#routing = this.#routing.withRemote(relations, defaults);
  }

  /**
   * The services a namespace's scripts compile with, minus `use()`
   * resolution (for compiling outside the store, e.g. debug requests).
   */
  baseServices(ns: Namespace): Record<string, unknown> {
    const s = { ...(this.#services.get(ns)?.services ?? this.#opts.services) };
    delete s.resolveScript;
    return s;
  }

  /** Scripts that do not compile now (their last good versions, if any, serve). */
  problems(): ScriptProblem[] {
    const out: ScriptProblem[] = [];
    for (const ns of NAMESPACES) {
      const st = this.#states.get(ns);
      if (st !== undefined) for (const p of st.problems.values()) out.push(p);
    }
    return out;
  }

  /** Files that could not be read, per namespace. */
  fileProblems(): { ns: Namespace; path: string; message: string }[] {
    const out: { ns: Namespace; path: string; message: string }[] = [];
    for (const [ns, list] of this.#fileProblems) for (const p of list) out.push({ ns, ...p });
    return out;
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0) {
      const ns = this.#pending.values().next().value as Namespace;
      this.#pending.delete(ns);
      try {
        await this.#reloadNamespace(ns);
      } catch (e) {
        this.#log.error(
          { err: e, namespace: ns },
          'reading pipeline scripts failed; keeping the loaded ones',
        );
      }
    }
  }

  async #reloadNamespace(ns: Namespace): Promise<void> {
    const folder = this.#opts.folders[ns];
    const scan = await scanNamespace(ns, folder);
    this.#reportFileProblems(ns, scan.problems);
    const patternsKey = JSON.stringify([...scan.patterns]);
    const prev = this.#states.get(ns) ?? EMPTY_NAMESPACE;
    const out = await loadNamespace(prev, scan.scripts, {
      ns,
      registry: this.#registry,
      services: this.#servicesFor(ns, scan.patterns, patternsKey),
      patternsKey,
      now: this.#opts.now,
    });
    for (const r of out.compiled) {
      this.#log.debug({ namespace: ns, category: r.category, script: r.name, path: r.path }, 'script loaded');
    }
    for (const p of out.failed) {
      this.#metrics.compileError(p.category, p.name, ns);
      this.#log.warn(
        { namespace: ns, category: p.category, script: p.name, path: p.path, serving: p.serving },
        `script does not compile: ${p.error.short}${p.serving ? ' (the previous version keeps serving)' : ''}`,
      );
    }
    for (const key of out.removed) this.#log.info({ namespace: ns, script: key }, 'script removed');
    const same =
      out.compiled.length === 0 &&
      out.failed.length === 0 &&
      out.removed.length === 0 &&
      prev.patternsKey === patternsKey &&
      prev.problems.size === out.state.problems.size &&
      this.#states.has(ns);
    this.#states.set(ns, out.state);
    if (!same) this.#index = this.#index.with(ns, out.state.scripts);
  }

  #servicesFor(ns: Namespace, patterns: ReadonlyMap<string, string>, key: string): Record<string, unknown> {
    const cached = this.#services.get(ns);
    if (cached !== undefined && cached.key === key) return cached.services;
    const services: Record<string, unknown> = {
      ...this.#opts.services,
      grokPatterns: patterns,
      // Reads the live index: `use()` always runs the version serving now.
      resolveScript: (name: string, category: string) =>
        this.#index.getIn(ns, category as Category, name)?.script ?? null,
    };
    const makeLib = this.#opts.grokLibrary ?? namespaceGrokLibrary;
    try {
      services.grok = makeLib(patterns);
      const errs = (services.grok as { loadErrors?: readonly Error[] }).loadErrors ?? [];
      for (const e of errs)
        this.#log.warn({ namespace: ns, err: e.message }, 'grok pattern file entry rejected');
    } catch (e) {
      this.#log.warn({ err: e, namespace: ns }, 'grok pattern files of the namespace rejected');
    }
    this.#services.set(ns, { key, services });
    return services;
  }

  #reportFileProblems(ns: Namespace, problems: readonly ScanProblem[]): void {
    const before = JSON.stringify(this.#fileProblems.get(ns) ?? []);
    this.#fileProblems.set(ns, problems);
    if (JSON.stringify(problems) === before) return;
    for (const p of problems)
      this.#log.warn({ namespace: ns, path: p.path }, `pipeline file problem: ${p.message}`);
  }
}

/** The default library with a namespace's `pattern/` files on top (read-only: scripts add patterns in their own scopes). */
export function namespaceGrokLibrary(patterns: ReadonlyMap<string, string>): GrokLibrary {
  if (patterns.size === 0) return defaultGrokLibrary();
  return defaultGrokLibrary().extend(patterns, { readOnly: true });
}
