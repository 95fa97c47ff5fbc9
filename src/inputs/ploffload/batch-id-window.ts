/**
 * The batch ids (`X-Plkit-Batch-Id`) this processor accepted recently, so
 * a batch the agent sends again (its answer was lost, it timed out, it
 * restarted with the batch in its spool) is acknowledged without being
 * processed twice.
 *
 * Kept in memory (insertion order = age) and, when a path is given, in an
 * append-only text file of `<accepted-at-ms> <id>` lines that is read back
 * at start (entries older than the window are skipped) and rewritten
 * compacted when it holds twice as many lines as live ids. A torn last
 * line after a crash is ignored. An id is added only after its batch is
 * durable, so a crash can cause a duplicate, never a loss.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface BatchIdWindowOptions {
  /** How long an id is remembered (default 10 minutes). */
  windowMs?: number;
  /** Most ids remembered; the oldest are forgotten first (default 100 000). */
  maxIds?: number;
  now?: () => number;
}

/** Ids we accept: printable, no spaces, bounded (anything else is not deduplicated). */
const ID_RE = /^[\x21-\x7e]{1,200}$/;

export function isUsableBatchId(id: unknown): id is string {
  return typeof id === 'string' && ID_RE.test(id);
}

export class BatchIdWindow {
  readonly #path: string | null;
  readonly #windowMs: number;
  readonly #maxIds: number;
  readonly #now: () => number;
  readonly #ids = new Map<string, number>();
  #fd = -1;
  #lines = 0;

  private constructor(path: string | null, opts: BatchIdWindowOptions) {
    this.#path = path;
    this.#windowMs = opts.windowMs ?? 10 * 60_000;
    this.#maxIds = opts.maxIds ?? 100_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Load the window from `path` (null: memory only). */
  static open(path: string | null, opts: BatchIdWindowOptions = {}): BatchIdWindow {
    const w = new BatchIdWindow(path, opts);
    if (path !== null) w.#load(path);
    return w;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    const at = this.#ids.get(id);
    return at !== undefined && this.#now() - at <= this.#windowMs;
  }

  add(id: string): void {
    const now = this.#now();
    this.#ids.delete(id);
    this.#ids.set(id, now);
    this.#evict(now);
    if (this.#fd === -1) return;
    writeSync(this.#fd, `${now} ${id}\n`);
    if (++this.#lines > 2 * this.#ids.size + 1000) this.#compact();
  }

  close(): void {
    if (this.#fd !== -1) closeSync(this.#fd);
    this.#fd = -1;
  }

  #evict(now: number): void {
    for (const [id, at] of this.#ids) {
      if (this.#ids.size <= this.#maxIds && now - at <= this.#windowMs) break;
      this.#ids.delete(id);
    }
  }

  #load(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1) break; // a torn last line is ignored
        const line = text.slice(start, nl);
        start = nl + 1;
        const sp = line.indexOf(' ');
        if (sp <= 0) continue;
        const at = Number(line.slice(0, sp));
        const id = line.slice(sp + 1);
        if (!Number.isFinite(at) || !isUsableBatchId(id)) continue;
        this.#ids.delete(id);
        this.#ids.set(id, at);
      }
      this.#evict(this.#now());
    }
    this.#compact();
  }

  /** Rewrite the file with the live ids only (tmp + rename), then append to it. */
  #compact(): void {
    const path = this.#path!;
    if (this.#fd !== -1) closeSync(this.#fd);
    let text = '';
    for (const [id, at] of this.#ids) text += `${at} ${id}\n`;
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.#fd = openSync(path, 'a');
    this.#lines = this.#ids.size;
  }
}
