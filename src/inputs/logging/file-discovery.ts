/**
 * Which files a logging input follows: its `logfiles` globs (with `**`
 * for any depth), minus its `ignore` globs, regular files only. Run at
 * start and then periodically, so files created later (a new day's log, a
 * rotated-in file) are picked up.
 *
 * An `ignore` glob matches either the whole path or the file's name, so
 * both `ignore = ["*.gz"]` and `ignore = ["/var/log/old/*"]` do what they say.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';

export interface Discovered {
  path: string;
  ino: number;
  size: number;
  mtimeMs: number;
}

export class FileDiscovery {
  readonly #patterns: string[];
  readonly #include: ((s: string) => boolean)[];
  readonly #ignore: ((s: string) => boolean)[];

  constructor(logfiles: readonly string[], ignore: readonly string[], cwd: string) {
    this.#patterns = logfiles.map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
    this.#include = this.#patterns.map((p) => picomatch(p, { dot: true }));
    this.#ignore = ignore.map((p) => picomatch(p, { dot: true }));
  }

  /** The `logfiles` patterns, absolute. */
  get patterns(): readonly string[] {
    return this.#patterns;
  }

  /** Whether a scan would take `path` (by name only: it may not exist). */
  matches(path: string): boolean {
    return this.#include.some((m) => m(path)) && !this.#ignored(path);
  }

  /** Files matching now, sorted by path; a pattern whose directory is unreadable matches nothing. */
  async scan(): Promise<Discovered[]> {
    if (this.#patterns.length === 0) return [];
    const paths = await glob(this.#patterns, {
      absolute: true,
      onlyFiles: true,
      dot: true,
      followSymbolicLinks: true,
      expandDirectories: false,
    });
    paths.sort();
    const out: Discovered[] = [];
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      if (this.#ignored(p)) continue;
      try {
        const st = statSync(p);
        if (!st.isFile()) continue;
        out.push({ path: p, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // gone between the listing and the stat: the next scan decides
      }
    }
    return out;
  }

  #ignored(path: string): boolean {
    if (this.#ignore.length === 0) return false;
    const name = basename(path);
    for (let i = 0; i < this.#ignore.length; i++) {
      const m = this.#ignore[i]!;
      if (m(path) || m(name)) return true;
    }
    return false;
  }
}
