/**
 * The one disk queue of plkit (DataWay WAL, offload spool, ploffload cache).
 *
 * Design notes
 * - Files in the queue directory: `seg-<seq>.dat` append-only segments
 *   (records framed as in `record.ts`), `ledger.json` holding the ack floor
 *   (every record id below it is acknowledged), and `lock` holding the pid.
 * - Invariants: ids grow by one per record and are never reused; a record
 *   is handed out by `pop()` until `ack(id)`; the ledger is rewritten
 *   (tmp + rename) when the floor moves; a segment is deleted whole once
 *   every record in it is below the floor. After a crash every record at or
 *   above the floor is delivered again (at-least-once).
 * - Recovery: a torn final record (kill -9 mid-write) is cut off; damaged
 *   records anywhere else are skipped (resync on the next verifiable
 *   record), counted and reported — never a crash loop, never a stuck queue.
 * - Capacity: `maxBytes` over all segments. `whenFull: 'drop_oldest'`
 *   deletes the oldest segment (its unacknowledged records are counted as
 *   dropped); `'block'` refuses the push with PLK_ERR_QUEUE_FULL so the
 *   caller pushes back on its own sender.
 * - Writes are synchronous: when `push()` returns, the record is in the
 *   file (and fsynced with `fsync: 'always'`). A failed write (ENOSPC) is
 *   cut back so no partial record stays, and the error reaches the caller.
 */
import { join } from 'node:path';
import { PlkError } from '../common/plk-error.js';
import { type QueueFs, realFs } from './fs.js';
import { encodeRecord, HEADER_SIZE, readRecord } from './record.js';
import { scanSegment } from './segment-scan.js';

export type WhenFull = 'drop_oldest' | 'block';
export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface DiskQueueOptions {
  /** Capacity over all segments, bytes. 0 = unbounded. */
  maxBytes?: number;
  /** Segment size before rolling to a new file. */
  segmentBytes?: number;
  whenFull?: WhenFull;
  fsync?: FsyncPolicy;
  fsyncIntervalMs?: number;
  fs?: QueueFs;
  /**
   * 0 (default): the ledger is rewritten at every ack, so an acked record
   * never comes back, even after a crash. N > 0: acks are persisted at most
   * every N ms (and at close): a crash may deliver the records acked in its
   * last N ms again — for queues whose consumers dedupe (the DataWay WAL,
   * whose packages keep their ids), where rewriting a file per ack costs
   * more than the rest of the ack path.
   */
  ackPersistMs?: number;
  /** Called for every noteworthy event (damage skipped, records dropped). */
  onEvent?: (e: QueueEvent) => void;
}

export type QueueEvent =
  | { type: 'damage'; segment: string; offset: number; bytes: number; reason: string }
  | { type: 'torn_tail'; segment: string; offset: number; reason: string }
  | { type: 'dropped'; segment: string; records: number; reason: string };

export interface QueueStats {
  /** Records written and not yet acknowledged (in flight included). */
  pending: number;
  inFlight: number;
  bytes: number;
  segments: number;
  nextId: bigint;
  ackFloor: bigint;
  damagedRecords: number;
  droppedRecords: number;
}

interface Segment {
  seq: number;
  path: string;
  bytes: number;
  maxId: bigint; // -1n when empty
  fd: number; // -1 when not open
}

interface RecRef {
  id: bigint;
  seg: Segment;
  off: number;
  len: number;
}

export interface QueueRecord {
  id: bigint;
  payload: Buffer;
}

const SEG_RE = /^seg-(\d{12})\.dat$/;
const segName = (seq: number) => `seg-${String(seq).padStart(12, '0')}.dat`;

export class DiskQueue {
  readonly dir: string;
  readonly #fs: QueueFs;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #whenFull: WhenFull;
  readonly #fsync: FsyncPolicy;
  readonly #onEvent: (e: QueueEvent) => void;

  #segments: Segment[] = [];
  #index: RecRef[] = []; // unacknowledged records in id order, from #ackHead
  #ackHead = 0;
  #readPos = 0; // next index entry to hand out
  #redeliver: RecRef[] = []; // nacked, handed out again before new ones
  #inFlight = new Map<bigint, RecRef>();
  #acked = new Set<bigint>(); // acknowledged ids above the floor
  #nextId = 0n;
  #floor = 0n;
  #bytes = 0;
  #damaged = 0;
  #dropped = 0;
  #dirty = false;
  #timer: NodeJS.Timeout | null = null;
  readonly #ackPersistMs: number;
  #ledgerTimer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(dir: string, opts: DiskQueueOptions) {
    this.dir = dir;
    this.#fs = opts.fs ?? realFs;
    this.#maxBytes = opts.maxBytes ?? 0;
    this.#segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
    this.#whenFull = opts.whenFull ?? 'drop_oldest';
    this.#fsync = opts.fsync ?? 'interval';
    this.#onEvent = opts.onEvent ?? (() => {});
    this.#ackPersistMs = opts.ackPersistMs ?? 0;
    if (this.#fsync === 'interval') {
      this.#timer = setInterval(() => this.sync(), opts.fsyncIntervalMs ?? 1000);
      this.#timer.unref();
    }
  }

  /** Open (or create) the queue in `dir`, recovering from any earlier crash. */
  static open(dir: string, opts: DiskQueueOptions = {}): DiskQueue {
    const q = new DiskQueue(dir, opts);
    try {
      q.#recover();
    } catch (e) {
      q.close();
      throw e;
    }
    return q;
  }

  #lockPath(): string {
    return join(this.dir, 'lock');
  }

  #acquireLock(): void {
    const fs = this.#fs;
    const path = this.#lockPath();
    if (fs.existsSync(path)) {
      const pid = Number.parseInt(fs.readFileSync(path).toString('utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new PlkError('PLK_ERR_QUEUE_LOCKED', `queue ${this.dir} is in use by process ${pid}`, {
          permanent: true,
        });
      }
    }
    fs.writeFileSync(path, String(process.pid));
  }

  #recover(): void {
    const fs = this.#fs;
    try {
      fs.mkdirSync(this.dir);
    } catch (e) {
      throw new PlkError(
        'PLK_ERR_QUEUE_OPEN',
        `cannot create queue directory ${this.dir}: ${(e as Error).message}`,
        {
          cause: e,
          permanent: true,
        },
      );
    }
    this.#acquireLock();
    const ledger = this.#readLedger();
    this.#floor = ledger.floor;
    const names = fs
      .readdirSync(this.dir)
      .filter((n) => SEG_RE.test(n))
      .sort();
    let maxId = this.#floor - 1n;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const seq = Number.parseInt(SEG_RE.exec(name)![1]!, 10);
      const path = join(this.dir, name);
      const buf = fs.readFileSync(path);
      const scan = scanSegment(buf);
      const seg: Segment = { seq, path, bytes: buf.length, maxId: -1n, fd: -1 };
      for (const d of scan.damage) {
        this.#damaged++;
        this.#onEvent({ type: 'damage', segment: name, offset: d.off, bytes: d.bytes, reason: d.reason });
      }
      if (scan.tornAt !== -1) {
        const isLast = i === names.length - 1;
        this.#onEvent({
          type: isLast ? 'torn_tail' : 'damage',
          segment: name,
          offset: scan.tornAt,
          reason: scan.tornReason,
        } as QueueEvent);
        if (!isLast) this.#damaged++;
        // Cut the bad tail so appends (and the next recovery) start clean.
        const fd = fs.openSync(path, 'r+');
        try {
          fs.ftruncateSync(fd, scan.tornAt);
        } finally {
          fs.closeSync(fd);
        }
        seg.bytes = scan.tornAt;
      }
      for (const r of scan.records) {
        if (r.id > seg.maxId) seg.maxId = r.id;
        if (r.id > maxId) maxId = r.id;
        if (r.id >= this.#floor) this.#index.push({ id: r.id, seg, off: r.off, len: r.len });
      }
      this.#segments.push(seg);
      this.#bytes += seg.bytes;
    }
    this.#nextId = maxId + 1n > this.#floor ? maxId + 1n : this.#floor;
    // Records acknowledged out of order before the restart stay acknowledged.
    for (const id of ledger.acked) if (id >= this.#floor && id < this.#nextId) this.#acked.add(id);
    this.#advanceFloor();
    this.#deleteAckedSegments();
    const last = this.#segments[this.#segments.length - 1];
    if (last === undefined || last.bytes >= this.#segmentBytes) this.#roll();
    else last.fd = fs.openSync(last.path, 'r+');
  }

  #readLedger(): { floor: bigint; acked: bigint[] } {
    const path = join(this.dir, 'ledger.json');
    if (!this.#fs.existsSync(path)) return { floor: 0n, acked: [] };
    try {
      const j = JSON.parse(this.#fs.readFileSync(path).toString('utf8')) as {
        ack_floor?: string;
        acked?: string[];
      };
      return { floor: BigInt(j.ack_floor ?? '0'), acked: (j.acked ?? []).map((x) => BigInt(x)) };
    } catch (e) {
      // A damaged ledger costs redelivery (duplicates), never loss: start
      // from the oldest record still on disk.
      this.#ledgerTrouble(e);
      return { floor: 0n, acked: [] };
    }
  }

  #writeLedger(): void {
    const path = join(this.dir, 'ledger.json');
    const tmp = `${path}.tmp`;
    const acked: string[] = [];
    for (const id of this.#acked) acked.push(id.toString());
    this.#fs.writeFileSync(tmp, JSON.stringify({ ack_floor: this.#floor.toString(), acked }));
    this.#fs.renameSync(tmp, path);
  }

  #active(): Segment {
    return this.#segments[this.#segments.length - 1]!;
  }

  #roll(): void {
    const prev = this.#segments[this.#segments.length - 1];
    if (prev !== undefined && prev.fd !== -1 && this.#fsync !== 'never') this.#fs.fsyncSync(prev.fd);
    const seq = prev === undefined ? 1 : prev.seq + 1;
    const path = join(this.dir, segName(seq));
    const fd = this.#fs.openSync(path, 'w+');
    this.#segments.push({ seq, path, bytes: 0, maxId: -1n, fd });
  }

  /**
   * Append one record. Returns its id once the bytes are written (and
   * fsynced with `fsync: 'always'`). Throws PLK_ERR_QUEUE_FULL (block
   * policy) or PLK_ERR_QUEUE_WRITE (disk error; nothing partial remains).
   */
  push(payload: Uint8Array): bigint {
    if (this.#closed) throw new PlkError('PLK_ERR_QUEUE_CLOSED', `queue ${this.dir} is closed`);
    const size = HEADER_SIZE + payload.length;
    if (this.#maxBytes > 0 && this.#bytes + size > this.#maxBytes) this.#makeRoom(size);
    let seg = this.#active();
    if (seg.bytes > 0 && seg.bytes + size > this.#segmentBytes) {
      this.#roll();
      seg = this.#active();
    }
    const id = this.#nextId;
    const rec = encodeRecord(id, payload);
    try {
      let done = 0;
      while (done < rec.length)
        done += this.#fs.writeSync(seg.fd, rec, done, rec.length - done, seg.bytes + done);
      if (this.#fsync === 'always') this.#fs.fsyncSync(seg.fd);
    } catch (e) {
      try {
        this.#fs.ftruncateSync(seg.fd, seg.bytes);
      } catch {
        // The scan at the next open treats the leftover as a torn tail.
      }
      throw new PlkError('PLK_ERR_QUEUE_WRITE', `queue ${this.dir}: write failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    this.#index.push({ id, seg, off: seg.bytes, len: payload.length });
    seg.bytes += rec.length;
    seg.maxId = id;
    this.#bytes += rec.length;
    this.#nextId = id + 1n;
    this.#dirty = true;
    return id;
  }

  #makeRoom(size: number): void {
    if (this.#whenFull === 'block') {
      throw new PlkError(
        'PLK_ERR_QUEUE_FULL',
        `queue ${this.dir} is full (${this.#bytes} of ${this.#maxBytes} bytes used, record needs ${size})`,
      );
    }
    while (this.#bytes + size > this.#maxBytes && this.#segments.length > 0) {
      if (this.#segments.length === 1) {
        if (this.#active().bytes === 0) return; // nothing left to drop: let the record through
        this.#roll();
      }
      this.#dropSegment(this.#segments[0]!, 'queue full: oldest data dropped');
    }
  }

  #dropSegment(seg: Segment, reason: string): void {
    let lost = 0;
    while (this.#ackHead < this.#index.length && this.#index[this.#ackHead]!.seg === seg) {
      const ref = this.#index[this.#ackHead]!;
      if (!this.#acked.delete(ref.id)) lost++;
      this.#inFlight.delete(ref.id);
      this.#ackHead++;
    }
    if (this.#readPos < this.#ackHead) this.#readPos = this.#ackHead;
    this.#redeliver = this.#redeliver.filter((r) => r.seg !== seg);
    this.#removeSegment(seg);
    this.#advanceFloor();
    if (lost > 0) {
      this.#dropped += lost;
      this.#onEvent({ type: 'dropped', segment: seg.path, records: lost, reason });
    }
  }

  #removeSegment(seg: Segment): void {
    if (seg.fd !== -1) this.#fs.closeSync(seg.fd);
    seg.fd = -1;
    try {
      this.#fs.unlinkSync(seg.path);
    } catch {
      // Already gone; the byte count below is what matters.
    }
    this.#bytes -= seg.bytes;
    this.#segments.splice(this.#segments.indexOf(seg), 1);
  }

  /** The next unacknowledged record not already handed out, or null. */
  pop(): QueueRecord | null {
    // Entries below the ack head were acknowledged (possibly before a restart).
    if (this.#readPos < this.#ackHead) this.#readPos = this.#ackHead;
    for (;;) {
      let ref: RecRef | undefined;
      if (this.#redeliver.length > 0) ref = this.#redeliver.shift();
      else if (this.#readPos < this.#index.length) ref = this.#index[this.#readPos++];
      if (ref === undefined) return null;
      if (this.#acked.has(ref.id)) continue;
      const payload = this.#readPayload(ref);
      if (payload === null) continue; // damaged since it was written: counted, skipped
      this.#inFlight.set(ref.id, ref);
      return { id: ref.id, payload };
    }
  }

  #readPayload(ref: RecRef): Buffer | null {
    const seg = ref.seg;
    if (seg.fd === -1) seg.fd = this.#fs.openSync(seg.path, 'r+');
    const buf = Buffer.allocUnsafe(HEADER_SIZE + ref.len);
    const n = this.#fs.readSync(seg.fd, buf, 0, buf.length, ref.off);
    const r = readRecord(buf.subarray(0, n), 0);
    if (r.kind === 'ok' && r.id === ref.id) return r.payload;
    this.#damaged++;
    this.#onEvent({
      type: 'damage',
      segment: seg.path,
      offset: ref.off,
      bytes: buf.length,
      reason: r.kind === 'ok' ? `record id changed at offset ${ref.off}` : r.reason,
    });
    this.#markAcked(ref.id);
    return null;
  }

  /** Acknowledge a record: it will not be delivered again, even after a crash. */
  ack(id: bigint): void {
    if (!this.#inFlight.delete(id)) return;
    this.#markAcked(id);
  }

  /** Give a handed-out record back; it is delivered again before newer ones. */
  nack(id: bigint): void {
    const ref = this.#inFlight.get(id);
    if (ref === undefined) return;
    this.#inFlight.delete(id);
    let i = this.#redeliver.length;
    while (i > 0 && this.#redeliver[i - 1]!.id > id) i--;
    this.#redeliver.splice(i, 0, ref);
  }

  #markAcked(id: bigint): void {
    this.#acked.add(id);
    this.#advanceFloor();
  }

  #advanceFloor(): void {
    const before = this.#floor;
    while (this.#ackHead < this.#index.length && this.#acked.delete(this.#index[this.#ackHead]!.id))
      this.#ackHead++;
    this.#floor = this.#ackHead < this.#index.length ? this.#index[this.#ackHead]!.id : this.#nextId;
    if (this.#ackHead > 4096 && this.#ackHead * 2 > this.#index.length) {
      this.#index = this.#index.slice(this.#ackHead);
      this.#readPos -= this.#ackHead;
      this.#ackHead = 0;
    }
    // Out-of-order acks are persisted too, so a restart does not repeat them.
    if (this.#ackPersistMs <= 0) this.#writeLedger();
    else if (this.#ledgerTimer === null) {
      this.#ledgerTimer = setTimeout(() => this.#flushLedger(), this.#ackPersistMs);
      this.#ledgerTimer.unref();
    }
    if (this.#floor !== before) this.#deleteAckedSegments();
  }

  #flushLedger(): void {
    this.#ledgerTimer = null;
    if (this.#closed) return;
    try {
      this.#writeLedger();
    } catch (e) {
      // Not persisted: those records may be delivered again after a crash, never lost.
      this.#ledgerTrouble(e);
    }
  }

  #ledgerTrouble(e: unknown): void {
    this.#onEvent({
      type: 'damage',
      segment: 'ledger.json',
      offset: 0,
      bytes: 0,
      reason: (e as Error).message,
    });
  }

  #deleteAckedSegments(): void {
    while (this.#segments.length > 1) {
      const s = this.#segments[0]!;
      if (s.maxId !== -1n && s.maxId >= this.#floor) break;
      this.#removeSegment(s);
    }
  }

  /** Flush written data to stable storage now. */
  sync(): void {
    if (!this.#dirty || this.#closed) return;
    const seg = this.#active();
    if (seg.fd !== -1) this.#fs.fsyncSync(seg.fd);
    this.#dirty = false;
  }

  stats(): QueueStats {
    return {
      pending: Number(this.#nextId - this.#floor) - this.#acked.size,
      inFlight: this.#inFlight.size,
      bytes: this.#bytes,
      segments: this.#segments.length,
      nextId: this.#nextId,
      ackFloor: this.#floor,
      damagedRecords: this.#damaged,
      droppedRecords: this.#dropped,
    };
  }

  /** Records waiting to be handed out (not in flight). */
  get waiting(): number {
    return this.#redeliver.length + (this.#index.length - this.#readPos);
  }

  /** Close files and release the lock. In-flight records stay unacknowledged. Idempotent. */
  close(): void {
    if (this.#closed) return;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#ledgerTimer !== null) {
      clearTimeout(this.#ledgerTimer);
      this.#flushLedger();
    }
    for (const s of this.#segments) {
      if (s.fd === -1) continue;
      try {
        if (this.#fsync !== 'never' && s === this.#active()) this.#fs.fsyncSync(s.fd);
        this.#fs.closeSync(s.fd);
      } catch {
        // closing is best effort; the data was written synchronously
      }
      s.fd = -1;
    }
    try {
      this.#fs.unlinkSync(this.#lockPath());
    } catch {
      // no lock to remove
    }
    this.#closed = true;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
