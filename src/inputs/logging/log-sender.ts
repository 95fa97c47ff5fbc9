/**
 * The last step of the logging input, shared by files and sockets: a batch
 * of messages goes either straight to the offload fleet as wire bytes
 * (the selected script is a remote one and offload is on: no points are
 * built) or through io/feed as points, to the pipeline and the uploader.
 * Either way the returned promise resolves only when the batch is durable
 * downstream, which is when the caller may acknowledge it.
 */
import type { LoggingInputConfig } from '../../config/types.js';
import type { Feed, ScriptSelection } from '../../io/feed.js';
import {
  encodeLogEntries,
  entryTimeNs,
  type LogEntry,
  type LogWireShape,
} from '../../point/codec/log-wire.js';
import type { Point } from '../../point/point.js';
import type { LogOrigin } from './log-origin.js';
import type { LoggingMetrics } from './metrics.js';

export interface LogItem {
  origin: LogOrigin;
  message: string;
  /** Values of the origin's per-message integer fields, in its spec's order. */
  ints: readonly number[];
  /** The time is `timeNs` + `plusUs` µs (one read's messages share the base; see LogEntry). */
  timeNs: bigint;
  plusUs: number;
}

export class LogSender {
  readonly #feed: Feed;
  readonly #cfg: LoggingInputConfig;
  readonly #input: string;
  readonly #sel: ScriptSelection;
  readonly #m: LoggingMetrics;

  /** `input`: the feed name, DataKit's `logging/<source>` or `socketLog/<source>`. */
  constructor(feed: Feed, cfg: LoggingInputConfig, input: string, metrics: LoggingMetrics) {
    this.#feed = feed;
    this.#cfg = cfg;
    this.#input = input;
    this.#sel = { scriptName: cfg.pipeline, source: cfg.source };
    this.#m = metrics;
  }

  async send(items: readonly LogItem[]): Promise<void> {
    const cfg = this.#cfg;
    const n = items.length;
    const wire = this.#feed.offloadWireFor('logging', cfg.source, this.#sel);
    if (wire !== null) {
      const host = this.#feed.globalHostTags;
      const shapes: LogWireShape[] = new Array(n);
      const entries: LogEntry[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const it = items[i]!;
        shapes[i] = it.origin.wireShape(host);
        // An item is an entry as it stands unless the white list removed some of its counters.
        entries[i] = it.origin.intsKept
          ? it
          : { message: it.message, ints: it.origin.shapeInts(it.ints), timeNs: it.timeNs, plusUs: it.plusUs };
      }
      await this.#feed.offloadEncoded(encodeLogEntries(wire, shapes, entries));
      this.#m.points.inc({ source: cfg.source, road: 'offload-direct' }, n);
      return;
    }
    const points: Point[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const it = items[i]!;
      points[i] = it.origin.point(it.message, it.ints, entryTimeNs(it));
    }
    await this.#feed.feed({
      category: 'logging',
      points,
      input: this.#input,
      scriptName: cfg.pipeline,
      source: cfg.source,
      ignoreStatus: cfg.ignoreStatus,
    });
    this.#m.points.inc({ source: cfg.source, road: 'feed' }, n);
  }
}
