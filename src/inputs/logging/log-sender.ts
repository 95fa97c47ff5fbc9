/**
 * The last step of the logging input, shared by files and sockets: a batch
 * of messages goes either straight to the offload fleet as wire bytes
 * (the selected script is a remote one and offload is on: no points are
 * built) or through io/feed as points, to the pipeline and the uploader.
 * Either way the returned promise resolves only when the batch is durable
 * downstream, which is when the caller may acknowledge it.
 *
 * A batch holds messages (`LogItem`) and, from the file tailer's byte road,
 * whole reads already encoded for the offload wire (`LogRun`). Should the
 * road change while a run waits (its script is no longer a remote one), the
 * run is decoded back into the points it encodes.
 */
import { BufferPool } from '../../common/buffer-pool.js';
import type { LoggingInputConfig } from '../../config/types.js';
import type { Feed, ScriptSelection } from '../../io/feed.js';
import { decodeBody } from '../../point/codec/index.js';
import {
  encodeLogEntries,
  encodeLogSpans,
  entryTimeNs,
  type LogEntry,
  type LogWireShape,
} from '../../point/codec/log-wire.js';
import type { ForwardedPoints } from '../../point/codec/lp-forward.js';
import type { Point } from '../../point/point.js';
import type { LogOrigin } from './log-origin.js';
import type { LoggingMetrics } from './metrics.js';
import { RawLines } from './raw-lines.js';

export interface LogItem {
  origin: LogOrigin;
  message: string;
  /** Values of the origin's per-message integer fields, in its spec's order. */
  ints: readonly number[];
  /** The time is `timeNs` + `plusUs` µs (one read's messages share the base; see LogEntry). */
  timeNs: bigint;
  plusUs: number;
}

/** The messages of one read, encoded for the offload wire when they were read (owned bytes). */
export interface LogRun {
  run: ForwardedPoints;
  encoding: 'lp' | 'protobuf';
  /** The pooled buffer under `run.bytes`, for `release` once delivered; null when it was not pooled. */
  pooled: Buffer | null;
}

/**
 * Read and run buffers of the byte road, shared by every logging input:
 * a read takes up to a quarter of one (256 KiB) and its wire bytes follow
 * in the same buffer (~1.3× the text for ~250 B lines, up to ~3× for short
 * ones: RawLines adapts the read size). At most 8 idle ones are kept, so
 * a quiet agent holds little; busy inputs hold theirs until delivered.
 */
const runPool = new BufferPool(1 << 20, 8);

type Part = LogItem | LogRun;

export function isRun(p: Part): p is LogRun {
  return (p as LogRun).run !== undefined;
}

export class LogSender {
  readonly #feed: Feed;
  readonly #cfg: LoggingInputConfig;
  readonly #input: string;
  readonly #sel: ScriptSelection;
  readonly #m: LoggingMetrics;
  /** Read and run buffers, reused: fresh ones set off V8's full GCs (common/buffer-pool.ts). */
  readonly #pool = runPool;

  /** `input`: the feed name, DataKit's `logging/<source>` or `socketLog/<source>`. */
  constructor(feed: Feed, cfg: LoggingInputConfig, input: string, metrics: LoggingMetrics) {
    this.#feed = feed;
    this.#cfg = cfg;
    this.#input = input;
    this.#sel = { scriptName: cfg.pipeline, source: cfg.source };
    this.#m = metrics;
  }

  /** The offload wire this input's messages go out on now, or null when they take the ordinary road. */
  offloadWire(): 'lp' | 'protobuf' | null {
    return this.#feed.offloadWireFor('logging', this.#cfg.source, this.#sel);
  }

  /**
   * The byte road: a read's lines, encoded now for `wire` (from
   * `offloadWire()`), counter `counterStart + i` and time `baseNs` + i µs.
   */
  encodeRun(
    origin: LogOrigin,
    lines: RawLines,
    counterStart: number,
    baseNs: bigint,
    wire: 'lp' | 'protobuf',
  ): LogRun {
    const shape = origin.wireShape(this.#feed.globalHostTags);
    const l = lines;
    const read = l.buf;
    const run = encodeLogSpans(wire, shape, l, l.consumed, l.starts, l.ends, l.count, counterStart, baseNs);
    const grew = l.buf !== read;
    l.fitted(grew, run.bytes.length, read.length);
    // The run keeps the buffer its bytes are in; the next read gets another.
    let pooled: Buffer | null = l.buf;
    if (grew) {
      // The output did not fit: the encoder moved to a larger buffer of its own.
      this.#pool.give(read);
      pooled = null;
    }
    l.buf = this.#pool.take();
    return { run, encoding: wire, pooled };
  }

  /** Columns and a read buffer for the byte road (one per logging input: its reads take turns). */
  rawLines(): RawLines {
    return new RawLines(this.#pool.take());
  }

  /** A run's bytes are delivered (or will never be sent): its buffer may be reused. */
  release(r: LogRun): void {
    if (r.pooled !== null) this.#pool.give(r.pooled);
    r.pooled = null;
  }

  async send(parts: readonly Part[]): Promise<void> {
    const wire = this.offloadWire();
    let n = 0;
    // A run encoded for another wire than today's (the receiver changed): its points take the ordinary road.
    if (wire !== null && parts.every((p) => !isRun(p) || p.encoding === wire)) {
      // In order: messages are encoded into lent bytes, which the offloader copies at once.
      const pending: Promise<void>[] = [];
      let from = 0;
      for (let i = 0; i <= parts.length; i++) {
        const p = i < parts.length ? parts[i]! : null;
        if (p !== null && !isRun(p)) continue;
        if (i > from) {
          pending.push(this.#feed.offloadEncoded(this.#encodeItems(wire, parts, from, i)));
          n += i - from;
        }
        from = i + 1;
        if (p === null) break;
        n += p.run.count;
        pending.push(this.#feed.offloadEncoded(p.run));
      }
      await Promise.all(pending);
      this.#m.points.inc({ source: this.#cfg.source, road: 'offload-direct' }, n);
      return;
    }
    const points: Point[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (isRun(p)) {
        for (const pt of decodeRun(p)) points.push(pt);
      } else points.push(p.origin.point(p.message, p.ints, entryTimeNs(p)));
    }
    const cfg = this.#cfg;
    await this.#feed.feed({
      category: 'logging',
      points,
      input: this.#input,
      scriptName: cfg.pipeline,
      source: cfg.source,
      ignoreStatus: cfg.ignoreStatus,
    });
    this.#m.points.inc({ source: cfg.source, road: 'feed' }, points.length);
  }

  /** parts[from, to), all messages, as lent wire bytes. */
  #encodeItems(wire: 'lp' | 'protobuf', parts: readonly Part[], from: number, to: number): ForwardedPoints {
    const host = this.#feed.globalHostTags;
    const n = to - from;
    const shapes: LogWireShape[] = new Array(n);
    const entries: LogEntry[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const it = parts[from + i] as LogItem;
      shapes[i] = it.origin.wireShape(host);
      // An item is an entry as it stands unless the white list removed some of its counters.
      entries[i] = it.origin.intsKept
        ? it
        : { message: it.message, ints: it.origin.shapeInts(it.ints), timeNs: it.timeNs, plusUs: it.plusUs };
    }
    return encodeLogEntries(wire, shapes, entries);
  }
}

/** The points a run encodes (host tags included; the feed adds none it already has). */
function decodeRun(r: LogRun): Point[] {
  const bytes = r.run.bytes;
  const res =
    r.encoding === 'protobuf'
      ? decodeBody(bytes, 'application/protobuf', { category: 'logging' })
      : decodeBody(bytes, undefined, { category: 'logging', precision: 'n' });
  return res.points;
}
