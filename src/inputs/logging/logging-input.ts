/**
 * One `[[inputs.logging]]`: follows its log files, turns their lines into
 * logging points named after `source`, and feeds them — through the
 * pipeline, or straight to the offload fleet when the selected script is
 * a remote one — saving each file's position only once its lines are
 * delivered.
 *
 * One read loop per input visits every open file in turn (a busy file is
 * read a chunk at a time, so it cannot starve the others), waits when the
 * shipper has `maxInFlight` batches outstanding (back-pressure: the lines
 * wait in their files), and sleeps `pollMs` when nothing was new. Files
 * are found at start and every `scanMs`; each open file is checked for
 * truncation and replacement whenever it is at its end.
 */
import * as fs from 'node:fs';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { LoggingInputConfig } from '../../config/types.js';
import type { Feed } from '../../io/feed.js';
import { DirWatch } from './dir-watch.js';
import { FileDiscovery } from './file-discovery.js';
import { FileTailer } from './file-tailer.js';
import { LogOrigin } from './log-origin.js';
import { isRun, type LogItem, type LogRun, LogSender } from './log-sender.js';
import {
  DEFAULT_STATUS,
  FROM_BEGINNING_THRESHOLD_BYTES,
  MAX_LINE_BYTES,
  multilineOptions,
} from './logging-config.js';
import { type LoggingMetrics, loggingMetrics } from './metrics.js';
import { Multiline, type MultilineOptions } from './multiline.js';
import type { PositionStore } from './positions.js';
import type { RawLines } from './raw-lines.js';
import { Shipper } from './shipper.js';
import type { Message } from './types.js';

/**
 * A pending multiline message is sent once its file has been quiet this
 * long. DataKit sends it at the first empty read and then sleeps 1 s, so
 * a trace written over a few milliseconds usually arrives in one read;
 * plkit reads sooner, so it waits a little before deciding the trace is done.
 */
const MULTILINE_IDLE_FLUSH_MS = 500;
/** A rotated-away file is closed once quiet this long (DataKit checks every 3 s)… */
const ROTATED_QUIET_MS = 3000;
/** …or this long after its rotation at the latest (DataKit: 30 s). */
const ROTATED_MAX_MS = 30_000;
/** How long a rotated-away file's read offset is remembered, in case a glob also matches its new name. */
const RETIRED_MEMORY_MS = 10 * 60_000;
/** Scans asked for by directory watches are at least this far apart. */
const WATCH_SCAN_MIN_GAP_MS = 1000;

export interface LoggingInputOptions {
  config: LoggingInputConfig;
  feed: Feed;
  positions: PositionStore;
  /** Relative `logfiles` patterns resolve against this. */
  cwd: string;
  metrics: Metrics;
  logger: Logger;
  /** How often the globs are expanded again (DataKit: 10 s). */
  scanMs?: number;
  /** Idle sleep between read rounds when no file had new data. */
  pollMs?: number;
  batchSize?: number;
  flushMs?: number;
  maxInFlight?: number;
}

/** Where a shipped item's messages end in their file: what its delivery acknowledges. */
interface Acked {
  file: FileState;
  epoch: number;
  end: number;
}

/** What the shipper batches: one message, or a whole read on the byte road. */
type Item = (LogItem | LogRun) & Acked;

/** A followed file: its tailer, its point template, its line counter. */
interface FileState {
  tailer: FileTailer;
  origin: LogOrigin;
  readLines: number;
  /** Its path names another file now: its position entry is gone and late acknowledgements are ignored. */
  forgotten: boolean;
  /** When the path was found to name another file (ms), 0 while it does not. */
  detachedAt: number;
}

export class LoggingInput {
  readonly #cfg: LoggingInputConfig;
  readonly #positions: PositionStore;
  readonly #log: Logger;
  readonly #m: LoggingMetrics;
  readonly #discovery: FileDiscovery;
  readonly #watch: DirWatch;
  /** Paths followed now, with how many open files have each (a rotated-away one may share it). */
  readonly #followed = new Map<string, number>();
  readonly #multiline: MultilineOptions;
  readonly #shipper: Shipper<Item>;
  readonly #sender: LogSender;
  /** The byte road's read buffer and line columns, shared by this input's files (they read in turn); made on first use. */
  #raw: RawLines | null = null;
  readonly #scanMs: number;
  readonly #pollMs: number;
  readonly #name: string;
  /** Open files by `path::inode`. */
  readonly #files = new Map<string, FileState>();
  /**
   * Rotated-away files by inode: how far they were read. A glob that also
   * matches the new name (`access.log*` after `access.log` → `access.log.1`)
   * continues from there instead of reading the file again.
   */
  readonly #retired = new Map<number, { offset: number; at: number }>();
  /** Files skipped for max_open_files, warned once each. */
  readonly #overLimit = new Set<string>();
  #firstScan = true;
  /** A file was rotated away, or a watched directory has a new file: scan now, not at the next periodic scan. */
  #scanNow = false;
  /** When a scan a directory watch asked for is due (Infinity: none asked). */
  #watchScanAt = Number.POSITIVE_INFINITY;
  #lastScanAt = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(o: LoggingInputOptions) {
    const cfg = o.config;
    this.#cfg = cfg;
    this.#positions = o.positions;
    this.#log = o.logger.child({ input: 'logging', source: cfg.source });
    this.#m = loggingMetrics(o.metrics);
    this.#name = `${cfg.origin.file}#${cfg.origin.index} (source ${cfg.source})`;
    this.#discovery = new FileDiscovery(cfg.logfiles, cfg.ignore, o.cwd);
    this.#watch = new DirWatch(this.#discovery.patterns, (path) => this.#candidate(path), this.#log);
    this.#multiline = multilineOptions(cfg);
    // Refuse a broken pattern now, with its place in the conf, rather than per file later.
    const probe = Multiline.create(this.#multiline);
    if (!(probe instanceof Multiline)) {
      throw new Error(`${cfg.origin.file}: inputs.logging[${cfg.origin.index}]: ${probe.message}`);
    }
    this.#scanMs = o.scanMs ?? 10_000;
    this.#pollMs = o.pollMs ?? 250;
    const sender = new LogSender(o.feed, cfg, `logging/${cfg.source}`, this.#m);
    this.#sender = sender;
    this.#shipper = new Shipper<Item>({
      send: (items) => sender.send(items),
      delivered: (items) => this.#delivered(items),
      batchSize: o.batchSize ?? 1024,
      flushMs: o.flushMs ?? 100,
      maxInFlight: o.maxInFlight ?? 4,
      logger: this.#log,
      name: this.#name,
    });
  }

  /** Files open now, by path (tests, status). */
  get openFiles(): string[] {
    return [...this.#files.values()].map((f) => f.tailer.path);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run().catch((e) => {
      this.#log.error({ err: (e as Error).message }, 'logging input stopped on an unexpected error');
    });
  }

  async stop(deadlineMs = 5000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#watch.close();
    await this.#shipper.stop(deadlineMs);
    for (const f of this.#files.values()) f.tailer.close();
    this.#files.clear();
    this.#followed.clear();
    this.#m.openFiles.set({ source: this.#cfg.source, max: String(this.#cfg.maxOpenFiles) }, 0);
  }

  async #run(): Promise<void> {
    let nextScan = 0;
    while (this.#running) {
      const now = Date.now();
      if (now >= nextScan || this.#scanNow || now >= this.#watchScanAt) {
        this.#scanNow = false;
        this.#watchScanAt = Number.POSITIVE_INFINITY;
        this.#lastScanAt = now;
        await this.#scan(now);
        nextScan = now + this.#scanMs;
      }
      let progressed = false;
      for (const f of [...this.#files.values()]) {
        if (!this.#running) break;
        if (this.#shipper.full) await this.#shipper.waitForRoom();
        if (!this.#running) break;
        if (await this.#readTurn(f)) progressed = true;
      }
      if (!progressed && this.#running) await this.#sleep(this.#pollMs);
    }
  }

  /** One chunk of one file; true when it had new bytes. */
  async #readTurn(f: FileState): Promise<boolean> {
    const t = f.tailer;
    const now = Date.now();
    let turn: Awaited<ReturnType<FileTailer['read']>>;
    // Lines bound for the offload fleet as they are may take the byte road.
    const raw = this.#sender.offloadWire() !== null ? (this.#raw ??= this.#sender.rawLines()) : null;
    try {
      turn = await t.read(now, raw);
    } catch (e) {
      this.#log.error(
        { file: t.path, err: (e as Error).message },
        'cannot read log file; closing it (it is retried at the next scan)',
      );
      this.#m.readErrors.inc({ source: this.#cfg.source });
      this.#close(f, false);
      return false;
    }
    if (turn.raw && raw !== null) this.#emitRaw(f, raw);
    else this.#emit(f, turn.messages);
    if (turn.bytes > 0) return true;
    // At the end: has the file under this path changed?
    const change = t.checkChange();
    if (change === 'truncated') {
      this.#log.warn({ file: t.path }, 'log file truncated in place; reading it again from the start');
      this.#positions.set(t.path, t.ino, 0);
      return true;
    }
    if (change === 'replaced' || change === 'removed') {
      if (change === 'replaced') this.#m.rotations.inc({ source: this.#cfg.source, filepath: t.path });
      f.detachedAt = now;
      this.#scanNow = true; // open the successor now, beside this one
    }
    if (t.detached) {
      // A writer may go on appending to the renamed file for a moment (until it reopens its log):
      // keep reading it until it has been quiet for a while, then send what it held and close it.
      if (
        now - Math.max(t.lastDataMs, f.detachedAt) >= ROTATED_QUIET_MS ||
        now - f.detachedAt >= ROTATED_MAX_MS
      ) {
        this.#emit(f, t.drain(now));
        this.#retire(t);
        this.#close(f, true);
      }
      return false;
    }
    const dead = this.#cfg.ignoreDeadLogMs;
    if (dead > 0 && now - t.lastDataMs > dead && mtimeOlderThan(t.path, now - dead)) {
      this.#emit(f, t.drain(now));
      this.#log.info(
        { file: t.path },
        `log file quiet for longer than ignore_dead_log; closed until it changes`,
      );
      this.#close(f, false);
    }
    return false;
  }

  #emit(f: FileState, msgs: Message[]): void {
    const n = msgs.length;
    if (n === 0) return;
    if (f.origin.empty) {
      this.#m.discarded.inc({ source: this.#cfg.source, filepath: f.tailer.path }, n);
      f.tailer.ack(f.tailer.epoch, msgs[n - 1]!.end);
      return;
    }
    const base = readTimeBase(n);
    const epoch = f.tailer.epoch;
    for (let i = 0; i < n; i++) {
      const m = msgs[i]!;
      f.readLines++;
      this.#shipper.add({
        origin: f.origin,
        file: f,
        epoch,
        end: m.end,
        message: m.text,
        ints: [f.readLines],
        timeNs: base,
        plusUs: i,
      });
    }
  }

  /** The byte road's lines of one read: encoded for the offload wire now, shipped as one item. */
  #emitRaw(f: FileState, raw: RawLines): void {
    const n = raw.count;
    if (n === 0) return;
    const wire = this.#sender.offloadWire();
    if (f.origin.empty || wire === null) {
      // Nothing to encode (DataKit drops such points), or the road changed during the read.
      const msgs: Message[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const text = raw.buf.toString('utf8', raw.starts[i]!, raw.ends[i]!);
        msgs[i] = { text, end: raw.streamEnds[i]!, lines: 1 };
      }
      this.#emit(f, msgs);
      return;
    }
    const base = readTimeBase(n);
    const run = this.#sender.encodeRun(f.origin, raw, f.readLines + 1, base, wire);
    f.readLines += n;
    this.#shipper.add({ ...run, file: f, epoch: f.tailer.epoch, end: raw.streamEnds[n - 1]! }, n);
  }

  #delivered(items: Item[]): void {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (isRun(it)) this.#sender.release(it);
    }
    // Items of one file are in read order: the last one of each file carries its furthest end.
    let last: Item | null = null;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (last !== null && last.file !== it.file) this.#ack(last);
      last = it;
    }
    if (last !== null) this.#ack(last);
  }

  #ack(it: Item): void {
    if (it.file.forgotten) return;
    const t = it.file.tailer;
    if (t.ack(it.epoch, it.end)) this.#positions.set(t.path, t.ino, it.end);
  }

  /**
   * A watched directory named `path`: a file not followed yet that the
   * input wants means a scan now — at most one a second, since a wanted
   * file left closed (over `max_open_files`) is named again at every append.
   */
  #candidate(path: string): void {
    if (!this.#running || this.#followed.has(path) || this.#overLimit.has(path)) return;
    if (this.#watchScanAt !== Number.POSITIVE_INFINITY || !this.#discovery.matches(path)) return;
    this.#watchScanAt = Math.max(Date.now(), this.#lastScanAt + WATCH_SCAN_MIN_GAP_MS);
    this.#wake?.();
  }

  async #scan(now: number): Promise<void> {
    this.#watch.refresh();
    let found: Awaited<ReturnType<FileDiscovery['scan']>>;
    try {
      found = await this.#discovery.scan();
    } catch (e) {
      this.#log.error({ patterns: this.#cfg.logfiles, err: (e as Error).message }, 'cannot list log files');
      return;
    }
    const first = this.#firstScan;
    this.#firstScan = false;
    const dead = this.#cfg.ignoreDeadLogMs;
    const max = this.#cfg.maxOpenFiles;
    for (const d of found) {
      const key = `${d.path}::${d.ino}`;
      if (this.#files.has(key)) continue;
      if (dead > 0 && d.mtimeMs < now - dead) continue;
      if (max >= 0 && this.#files.size >= max) {
        if (!this.#overLimit.has(d.path)) {
          this.#overLimit.add(d.path);
          this.#log.warn(
            { file: d.path, maxOpenFiles: max },
            'max_open_files reached; this file is not followed',
          );
        }
        continue;
      }
      this.#open(d.path, first);
    }
    this.#m.openFiles.set({ source: this.#cfg.source, max: String(max) }, this.#files.size);
  }

  #open(path: string, atStart: boolean): void {
    let fd: number;
    let st: fs.Stats;
    try {
      fd = fs.openSync(path, 'r');
      st = fs.fstatSync(fd);
    } catch (e) {
      this.#log.warn(
        { file: path, err: (e as Error).message },
        'cannot open log file; retried at the next scan',
      );
      return;
    }
    for (const other of this.#files.values()) {
      if (other.tailer.ino === st.ino && other.tailer.detached) {
        fs.closeSync(fd); // the rotated-away tailer is still reading this very file under its old name
        return;
      }
    }
    const saved = this.#positions.get(path, st.ino);
    const retired = this.#retired.get(st.ino);
    let start: number;
    if (saved !== undefined && saved <= st.size) start = saved;
    else if (retired !== undefined && retired.offset <= st.size) start = retired.offset;
    else if (this.#cfg.fromBeginning || st.size < FROM_BEGINNING_THRESHOLD_BYTES || !atStart) start = 0;
    else start = st.size;
    const ml = Multiline.create(this.#multiline) as Multiline;
    const mode = this.#cfg.mode;
    const failLabels = {
      source: this.#cfg.source,
      filepath: path,
      mode: mode === 'docker' ? 'docker-json' : 'cri-log',
    };
    const tailer = new FileTailer(
      {
        path,
        fd,
        ino: st.ino,
        startOffset: start,
        reader: {
          encoding: this.#cfg.characterEncoding,
          maxLineBytes: MAX_LINE_BYTES,
          removeAnsi: this.#cfg.removeAnsiEscapeCodes,
        },
        multiline: ml,
        idleFlushMs: MULTILINE_IDLE_FLUSH_MS,
        mode,
        parseFailed: mode === '' ? undefined : () => this.#m.parseFails.inc(failLabels),
      },
      Date.now(),
    );
    const origin = new LogOrigin({
      source: this.#cfg.source,
      service: this.#cfg.service,
      configTags: this.#cfg.tags,
      ownTags: [],
      statusAs: 'tag',
      status: DEFAULT_STATUS,
      constFields: [['filepath', path]],
      intKeys: ['log_read_lines'],
      whiteList: this.#cfg.fieldWhiteList,
    });
    this.#files.set(`${path}::${st.ino}`, { tailer, origin, readLines: 0, forgotten: false, detachedAt: 0 });
    this.#followed.set(path, (this.#followed.get(path) ?? 0) + 1);
    if (saved === undefined || start !== saved) this.#positions.set(path, st.ino, start);
    this.#log.info({ file: path, offset: start, size: st.size }, 'following log file');
  }

  #retire(t: FileTailer): void {
    const now = Date.now();
    for (const [ino, r] of this.#retired) if (now - r.at > RETIRED_MEMORY_MS) this.#retired.delete(ino);
    this.#retired.set(t.ino, { offset: t.readOffset, at: now });
  }

  #close(f: FileState, forget: boolean): void {
    const t = f.tailer;
    t.close();
    if (this.#files.delete(`${t.path}::${t.ino}`)) {
      const n = (this.#followed.get(t.path) ?? 1) - 1;
      if (n > 0) this.#followed.set(t.path, n);
      else this.#followed.delete(t.path);
    }
    if (forget) {
      f.forgotten = true;
      this.#positions.delete(t.path, t.ino);
    }
    this.#m.openFiles.set(
      { source: this.#cfg.source, max: String(this.#cfg.maxOpenFiles) },
      this.#files.size,
    );
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}

function mtimeOlderThan(path: string, ms: number): boolean {
  try {
    return fs.statSync(path).mtimeMs < ms;
  } catch {
    return true;
  }
}

/** DataKit's read times: one read's `n` messages 1 µs apart, ending now, so their order survives. */
function readTimeBase(n: number): bigint {
  return BigInt(Date.now()) * 1_000_000n - BigInt(n) * 1000n;
}
