/**
 * Notices changes under the namespace folders for hot reload. Node 20's
 * recursive `fs.watch` does not work on Linux, and plain `fs.watch` misses
 * events on some file systems (network mounts, some containers), so two
 * signals feed one debounced callback per namespace:
 *
 * - `fs.watch` on every folder that matters (fast when it works);
 * - a poll that stats the script and pattern files (names, mtime, size)
 *   and compares a fingerprint (the safety net).
 *
 * The callback only says "namespace X may have changed"; the store reads
 * the files and recompiles what really changed.
 */
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NAMESPACES, type Namespace, type NamespaceFolders } from './namespaces.js';
import { listNamespace } from './script-files.js';

export interface FolderWatcherOptions {
  folders: NamespaceFolders;
  onChange: (ns: Namespace) => void;
  /** Poll period; 0 disables polling (fs.watch only). Default 2000 ms. */
  pollIntervalMs?: number;
  /** Quiet time after the last event before `onChange` fires. Default 200 ms. */
  debounceMs?: number;
  /** Namespaces to watch (default all). */
  namespaces?: readonly Namespace[];
}

interface NsWatch {
  fingerprint: string;
  dirs: Map<string, FSWatcher>;
  timer: NodeJS.Timeout | null;
}

export class FolderWatcher {
  readonly #opts: FolderWatcherOptions;
  readonly #ns = new Map<Namespace, NsWatch>();
  #poll: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;
  #stopped = true;

  constructor(opts: FolderWatcherOptions) {
    this.#opts = opts;
  }

  /** Take the baseline (so later changes are seen) and start watching. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    for (const ns of this.#opts.namespaces ?? NAMESPACES) {
      const w: NsWatch = { fingerprint: '', dirs: new Map(), timer: null };
      this.#ns.set(ns, w);
      w.fingerprint = await this.#scan(ns, w);
    }
    const every = this.#opts.pollIntervalMs ?? 2000;
    if (every > 0) {
      this.#poll = setInterval(() => {
        if (this.#polling === null) this.#polling = this.#pollOnce().finally(() => (this.#polling = null));
      }, every);
      this.#poll.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#poll !== null) clearInterval(this.#poll);
    this.#poll = null;
    for (const w of this.#ns.values()) {
      if (w.timer !== null) clearTimeout(w.timer);
      for (const fw of w.dirs.values()) fw.close();
    }
    this.#ns.clear();
    await this.#polling;
  }

  async #pollOnce(): Promise<void> {
    for (const [ns, w] of this.#ns) {
      if (this.#stopped) return;
      const fp = await this.#scan(ns, w);
      if (this.#stopped) return;
      if (fp !== w.fingerprint) {
        w.fingerprint = fp;
        this.#bump(ns, w);
      }
    }
  }

  /** Fingerprint of the namespace's files; (re)arms fs.watch on its folders. */
  async #scan(ns: Namespace, w: NsWatch): Promise<string> {
    let listing: Awaited<ReturnType<typeof listNamespace>>;
    try {
      listing = await listNamespace(ns, this.#opts.folders[ns]);
    } catch (e) {
      return `error:${(e as Error).message}`;
    }
    const parts: string[] = [];
    const files = [...listing.scripts.map((s) => s.path), ...listing.patternFiles];
    for (const f of files) {
      try {
        const st = await stat(f);
        parts.push(`${f}\0${st.mtimeMs}\0${st.size}`);
      } catch {
        parts.push(`${f}\0gone`);
      }
    }
    this.#arm(ns, w, listing.dirs);
    return parts.join('\n');
  }

  #arm(ns: Namespace, w: NsWatch, dirs: readonly string[]): void {
    if (this.#stopped) return;
    const want = new Set(dirs);
    for (const [d, fw] of w.dirs) {
      if (!want.has(d)) {
        fw.close();
        w.dirs.delete(d);
      }
    }
    for (const d of want) {
      if (w.dirs.has(d)) continue;
      try {
        const fw = watch(d, { persistent: false }, () => this.#bump(ns, w));
        fw.on('error', () => {
          fw.close();
          w.dirs.delete(d);
        });
        w.dirs.set(d, fw);
      } catch {
        // The poll covers folders fs.watch cannot watch.
      }
    }
  }

  #bump(ns: Namespace, w: NsWatch): void {
    if (this.#stopped) return;
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      if (!this.#stopped) this.#opts.onChange(ns);
    }, this.#opts.debounceMs ?? 200);
    w.timer.unref();
  }
}
