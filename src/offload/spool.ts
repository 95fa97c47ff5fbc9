/**
 * The offload spool: batches no receiver could take, kept in the disk
 * queue (`storage/`) until one can, then sent oldest first.
 *
 * Record layout (version 1), all integers big-endian:
 *   u8 version | u8 encoding (0 = line protocol, 1 = protobuf) |
 *   u16 id length | id (UTF-8) | u32 point count | body
 * The body is kept in the wire encoding it was sent in, so draining costs
 * no re-encoding; the id travels with it, so a processor recognises a
 * batch it got before the agent restarted.
 *
 * Capacity `when_full`: `block` refuses the batch with
 * PLK_ERR_OFFLOAD_FULL (the caller's sender is told to retry later);
 * `drop_oldest` drops whole oldest segments, counted.
 */
import { PlkError } from '../common/plk-error.js';
import { DiskQueue, type FsyncPolicy, type QueueStats, type WhenFull } from '../storage/index.js';
import type { WireEncoding } from './receivers/index.js';

export interface SpoolOptions {
  capacityBytes: number;
  whenFull: WhenFull;
  fsync?: FsyncPolicy;
  /** Records (and the points in them, when known) dropped to make room or found damaged. */
  onDropped?: (records: number, points: number, reason: string) => void;
}

export interface SpoolEntry {
  recordId: bigint;
  id: string;
  count: number;
  encoding: WireEncoding;
  body: Buffer;
}

const VERSION = 1;

export class Spool {
  readonly #q: DiskQueue;
  /** Point counts of records this run knows about, in id order, until acked or dropped. */
  readonly #counts = new Map<bigint, number>();
  readonly #onDropped: NonNullable<SpoolOptions['onDropped']>;
  #dropEvents = 0;

  private constructor(dir: string, opts: SpoolOptions) {
    this.#onDropped = opts.onDropped ?? (() => {});
    this.#q = DiskQueue.open(dir, {
      maxBytes: opts.capacityBytes,
      // drop_oldest frees whole segments: keep them a small share of the capacity.
      segmentBytes: Math.max(4096, Math.min(8 * 1024 * 1024, Math.floor(opts.capacityBytes / 16))),
      whenFull: opts.whenFull,
      fsync: opts.fsync ?? 'interval',
      onEvent: (e) => {
        if (e.type === 'dropped') this.#dropEvents += e.records;
        else if (e.type === 'damage') this.#onDropped(1, 0, `damaged spool record: ${e.reason}`);
      },
    });
  }

  static open(dir: string, opts: SpoolOptions): Spool {
    return new Spool(dir, opts);
  }

  /** Durably keep a batch. Throws PLK_ERR_OFFLOAD_FULL (block policy) or a disk error. */
  push(id: string, count: number, encoding: WireEncoding, body: Uint8Array): void {
    const idBytes = Buffer.from(id, 'utf8');
    const rec = Buffer.allocUnsafe(8 + idBytes.length + body.length);
    rec[0] = VERSION;
    rec[1] = encoding === 'protobuf' ? 1 : 0;
    rec.writeUInt16BE(idBytes.length, 2);
    idBytes.copy(rec, 4);
    rec.writeUInt32BE(count, 4 + idBytes.length);
    rec.set(body, 8 + idBytes.length);
    let recordId: bigint;
    try {
      recordId = this.#q.push(rec);
    } catch (e) {
      if (e instanceof PlkError && e.code === 'PLK_ERR_QUEUE_FULL') {
        throw new PlkError('PLK_ERR_OFFLOAD_FULL', `offload spool is full: ${e.message}`, { cause: e });
      }
      throw e;
    }
    this.#counts.set(recordId, count);
    this.#accountDrops();
  }

  /** The oldest batch not handed out yet, or null. Unreadable records are skipped and counted. */
  pop(): SpoolEntry | null {
    for (;;) {
      const r = this.#q.pop();
      if (r === null) return null;
      const e = parse(r.id, r.payload);
      if (e !== null) {
        this.#counts.set(r.id, e.count);
        return e;
      }
      this.#q.ack(r.id);
      this.#onDropped(1, 0, 'unreadable spool record');
    }
  }

  ack(recordId: bigint): void {
    this.#q.ack(recordId);
    this.#counts.delete(recordId);
  }

  /** Hand a batch back: it is the next one popped. */
  nack(recordId: bigint): void {
    this.#q.nack(recordId);
  }

  /** Batches kept and not yet delivered (handed-out ones included). */
  get pending(): number {
    return this.#q.stats().pending;
  }

  /** Batches waiting to be handed out. */
  get waiting(): number {
    return this.#q.waiting;
  }

  stats(): QueueStats {
    return this.#q.stats();
  }

  close(): void {
    this.#q.close();
  }

  /** Turn the queue's "n records dropped" into points where this run knows the counts. */
  #accountDrops(): void {
    if (this.#dropEvents === 0) return;
    const records = this.#dropEvents;
    this.#dropEvents = 0;
    const floor = this.#q.stats().ackFloor;
    let points = 0;
    for (const [id, n] of this.#counts) {
      if (id >= floor) continue;
      points += n;
      this.#counts.delete(id);
    }
    this.#onDropped(records, points, 'spool full: oldest batches dropped');
  }
}

function parse(recordId: bigint, p: Buffer): SpoolEntry | null {
  if (p.length < 8 || p[0] !== VERSION || (p[1] !== 0 && p[1] !== 1)) return null;
  const idLen = p.readUInt16BE(2);
  if (p.length < 8 + idLen) return null;
  return {
    recordId,
    id: p.toString('utf8', 4, 4 + idLen),
    encoding: p[1] === 1 ? 'protobuf' : 'lp',
    count: p.readUInt32BE(4 + idLen),
    body: p.subarray(8 + idLen),
  };
}
