/**
 * io/feed: the one road every batch of points takes after intake.
 *
 *   global host tags → pipeline (select + run scripts; remote-namespace
 *   logging points split off for offload) → ignore_status → offloader /
 *   DataWay uploader
 *
 * `feed()` resolves only when every point is durably accepted downstream
 * (the uploader's WAL or the offloader's receiver/spool): that is the
 * moment an input may acknowledge its sender.
 *
 * `forwardRaw()` is the fast road beside it, for a line-protocol body
 * whose every point would be offloaded untouched: the body goes to the
 * offloader re-encoded as wire bytes, with the same global host tags and
 * the same acknowledgement rule, or the caller is told to take the road
 * above.
 */
import { BufferPool } from '../common/buffer-pool.js';
import type { Category } from '../point/category.js';
import { type ForwardedPoints, forwardLineProtocol } from '../point/codec/lp-forward.js';
import type { Point } from '../point/point.js';

/** What a pipeline stage made of one batch. */
export interface StageResult {
  /** Processed points to upload (dropped ones already removed). */
  kept: Point[];
  /** Unprocessed logging points whose script lives in the remote namespace (offload on). */
  offload: Point[];
  /** Points scripts created with create_point, by category. */
  extra: { category: Category; points: Point[] }[];
}

export interface ScriptSelection {
  /** Script named by the input (`pipeline = …`) or the HTTP `source` (`<source>.p`). */
  scriptName?: string;
  /** The input's source: the named script applies only to points whose feature string equals it. */
  source?: string;
}

/** The pipeline as io/feed sees it (implemented over the script store). */
export interface PipelineStage {
  process(
    category: Category,
    points: Point[],
    sel: ScriptSelection,
    opts: { splitOffload: boolean },
  ): StageResult;
  /** True when a point of `category` named `name` would be offloaded untouched (offload on). */
  offloadsWhole?(category: Category, name: string, sel: ScriptSelection): boolean;
}

/** The offloader as io/feed sees it: resolves when the receiver (or the spool) has the points. */
export interface OffloadSink {
  send(points: Point[]): Promise<void>;
  /** The encoding `sendEncoded` takes, or null when it takes only point objects. */
  readonly encodedWire?: 'lp' | 'protobuf' | null;
  /**
   * Points already in `encodedWire`'s encoding. Their bytes stay valid only
   * until the returned promise settles (pooled buffers are reused after), or,
   * when `borrowed`, until the call returns: whatever keeps them copies them.
   */
  sendEncoded?(points: ForwardedPoints): Promise<void>;
}

/** The uploader as io/feed sees it: returns once the points are in the WAL. */
export interface UploadSink {
  write(category: Category, points: readonly Point[], opts?: { packageKey?: string }): void;
}

export interface FeedRequest {
  category: Category;
  points: Point[];
  /** Name of the input (metrics, logs). */
  input: string;
  scriptName?: string;
  source?: string;
  ignoreGlobalHostTags?: boolean;
  /** Statuses whose points are dropped after the pipeline (logging input `ignore_status`). */
  ignoreStatus?: readonly string[];
  /** Process but do not upload. */
  dry?: boolean;
  /** The points arrived offloaded: never offload them again (loop prevention). */
  arrivedOffloaded?: boolean;
  /**
   * The offloading agent's batch id: the results are uploaded as packages
   * keyed by it, so a batch processed twice (on two processors, or again
   * after a crash) is stored once by DataWay.
   */
  batchKey?: string;
}

/** A line-protocol body for `Feed.forwardRaw`. */
export interface RawFeedRequest {
  category: Category;
  /** Decompressed line protocol. */
  body: Uint8Array;
  /** The write API's `precision` value ('' = guess by magnitude). */
  precision: string;
  /** Receive time (ns) for lines without a timestamp. */
  nowNs: bigint;
  input: string;
  scriptName?: string;
  source?: string;
  ignoreGlobalHostTags?: boolean;
  arrivedOffloaded?: boolean;
}

export interface FeedResult {
  /** The final points as uploaded (for `echo`). */
  points: Point[];
  offloaded: number;
  dropped: number;
}

export interface FeedOptions {
  globalHostTags?: Readonly<Record<string, string>>;
  pipeline?: PipelineStage;
  offloader?: OffloadSink;
  uploader?: UploadSink;
}

export class Feed {
  readonly #globalTags: [string, string][];
  /**
   * Outputs of the write API's fast road, reused: a fresh buffer per
   * request sets off V8's full GCs (common/buffer-pool.ts). A body's wire
   * bytes up to 1 MiB fit; the requests in flight hold theirs.
   */
  readonly #forwardPool = new BufferPool(1 << 20, 8);
  readonly #pipeline: PipelineStage | undefined;
  readonly #offloader: OffloadSink | undefined;
  readonly #uploader: UploadSink | undefined;

  constructor(opts: FeedOptions) {
    this.#globalTags = Object.entries(opts.globalHostTags ?? {});
    this.#pipeline = opts.pipeline;
    this.#offloader = opts.offloader;
    this.#uploader = opts.uploader;
  }

  get hasOffload(): boolean {
    return this.#offloader !== undefined;
  }

  /** The global host tags this feed adds to points that lack them, in order. */
  get globalHostTags(): readonly (readonly [string, string])[] {
    return this.#globalTags;
  }

  /**
   * The wire to encode points for when every `category` point named `name`
   * goes to the offloader untouched (and the offloader takes encoded
   * points); null = use `feed()`. For inputs that make their points from
   * raw text (the logging input) and can write the wire bytes directly.
   */
  offloadWireFor(category: Category, name: string, sel: ScriptSelection): 'lp' | 'protobuf' | null {
    const off = this.#offloader;
    const wire = off?.encodedWire ?? null;
    if (wire === null || off?.sendEncoded === undefined || category !== 'logging') return null;
    const pipeline = this.#pipeline;
    if (pipeline?.offloadsWhole === undefined || !pipeline.offloadsWhole(category, name, sel)) return null;
    return wire;
  }

  /** Points encoded for `offloadWireFor`'s wire, with host tags included; resolves once delivered or spooled. */
  async offloadEncoded(fwd: ForwardedPoints): Promise<void> {
    const off = this.#offloader;
    if (off?.sendEncoded === undefined) throw new Error('offload is off: encoded points have nowhere to go');
    await off.sendEncoded(fwd);
  }

  /**
   * The fast road for a line-protocol body whose every point goes to the
   * offloader unprocessed: the lines are checked and re-encoded for the
   * receiver byte by byte (global host tags added, timestamps made ns),
   * never turned into points. Resolves to the number of points offloaded,
   * or to null when the road does not apply — offload off or by affinity,
   * some point stays here, or some line is outside what the fast scanner
   * handles (lp-forward.ts) — and the caller decodes the body as usual.
   */
  async forwardRaw(req: RawFeedRequest): Promise<number | null> {
    const off = this.#offloader;
    const pipeline = this.#pipeline;
    const wire = off?.encodedWire ?? null;
    if (
      wire === null ||
      off?.sendEncoded === undefined ||
      pipeline?.offloadsWhole === undefined ||
      req.category !== 'logging' ||
      req.arrivedOffloaded
    ) {
      return null;
    }
    const sel: ScriptSelection = { scriptName: req.scriptName, source: req.source };
    let fwd: ForwardedPoints | null;
    try {
      fwd = forwardLineProtocol(req.body, {
        encoding: wire,
        precision: req.precision,
        nowNs: req.nowNs,
        addTags: req.ignoreGlobalHostTags ? [] : this.#globalTags,
        accept: (name) => pipeline.offloadsWhole!(req.category, name, sel),
        outputPool: this.#forwardPool,
      });
    } catch {
      // A fault in the fast road must not refuse points the ordinary road takes.
      fwd = null;
    }
    if (fwd === null) return null;
    try {
      await off.sendEncoded(fwd);
    } finally {
      // Delivered, spooled or refused: no batch reads these bytes any more.
      if (fwd.pooled !== undefined) this.#forwardPool.give(fwd.pooled);
    }
    return fwd.count;
  }

  async feed(req: FeedRequest): Promise<FeedResult> {
    const pts = req.points;
    if (!req.ignoreGlobalHostTags && this.#globalTags.length > 0) {
      for (let i = 0; i < pts.length; i++) {
        const tags = pts[i]!.tags;
        for (const [k, v] of this.#globalTags) if (!tags.has(k)) tags.set(k, v);
      }
    }
    let kept = pts;
    let offload: Point[] = [];
    let extra: StageResult['extra'] = [];
    if (this.#pipeline !== undefined) {
      const splitOffload =
        this.#offloader !== undefined && !req.arrivedOffloaded && req.category === 'logging';
      const r = this.#pipeline.process(
        req.category,
        pts,
        { scriptName: req.scriptName, source: req.source },
        { splitOffload },
      );
      kept = r.kept;
      offload = r.offload;
      extra = r.extra;
    }
    let dropped = pts.length - kept.length - offload.length;
    if (req.ignoreStatus !== undefined && req.ignoreStatus.length > 0) {
      const ignore = new Set(req.ignoreStatus);
      const before = kept.length;
      kept = kept.filter((p) => {
        const s = p.get('status');
        return !(typeof s === 'string' && ignore.has(s));
      });
      dropped += before - kept.length;
    }
    if (!req.dry) {
      // Offload first: if the fleet and the spool both refuse, nothing of
      // this batch was uploaded yet and the sender can retry it whole.
      if (offload.length > 0 && this.#offloader !== undefined) await this.#offloader.send(offload);
      const up = this.#uploader;
      if (up !== undefined) {
        const key = req.batchKey;
        if (kept.length > 0)
          up.write(req.category, kept, key === undefined ? undefined : { packageKey: key });
        for (let i = 0; i < extra.length; i++) {
          const e = extra[i]!;
          if (e.points.length === 0) continue;
          // Each created-points group is its own package (it may share the batch's category).
          up.write(e.category, e.points, key === undefined ? undefined : { packageKey: `${key}+${i}` });
        }
      }
    }
    return { points: kept, offloaded: offload.length, dropped };
  }
}
