/**
 * Notices new log files between the periodic scans, as DataKit's fsnotify
 * watch does: the directory each `logfiles` pattern starts from (the part
 * before its first wildcard, or the named file's directory) is watched,
 * and an event naming a file that matches the input and is not followed
 * yet asks for a scan at once. Appends to followed files (most events in
 * a log directory) are ignored here.
 *
 * Best effort by design: a directory that does not exist yet or cannot be
 * watched (inotify limits) is tried again at the next periodic scan, which
 * still finds every file; subdirectories of a `**` pattern are left to it.
 */
import { type FSWatcher, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import picomatch from 'picomatch';
import type { Logger } from '../../common/logger.js';

export class DirWatch {
  readonly #dirs: string[];
  readonly #onCandidate: (path: string) => void;
  readonly #log: Logger;
  readonly #watchers = new Map<string, FSWatcher>();
  /** Directories that could not be watched, with the reason last logged (once per reason). */
  readonly #failed = new Map<string, string>();
  #closed = false;

  /** `patterns` absolute; `onCandidate` gets the full path of a file an event named. */
  constructor(patterns: readonly string[], onCandidate: (path: string) => void, log: Logger) {
    const dirs = new Set<string>();
    for (const p of patterns) {
      const s = picomatch.scan(p);
      dirs.add(s.isGlob ? s.base || '/' : dirname(p));
    }
    this.#dirs = [...dirs];
    this.#onCandidate = onCandidate;
    this.#log = log;
  }

  /** Watch every directory not watched yet; called at start and at each periodic scan. */
  refresh(): void {
    if (this.#closed) return;
    for (const dir of this.#dirs) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (name !== null && name !== '') this.#onCandidate(join(dir, name.toString()));
        });
        w.on('error', (e) => {
          // The directory went away (or the watch broke): the next refresh tries again.
          w.close();
          this.#watchers.delete(dir);
          this.#note(dir, e.message);
        });
        this.#watchers.set(dir, w);
        this.#failed.delete(dir);
      } catch (e) {
        this.#note(dir, (e as Error).message);
      }
    }
  }

  /** Directories watched now (tests, status). */
  get watching(): string[] {
    return [...this.#watchers.keys()];
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #note(dir: string, reason: string): void {
    if (this.#failed.get(dir) === reason) return;
    this.#failed.set(dir, reason);
    this.#log.debug(
      { dir, reason },
      'cannot watch log directory; new files there are found by the periodic scan',
    );
  }
}
