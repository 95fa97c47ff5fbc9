/**
 * `plkit queue check|repair`: report a queue directory's state and damage
 * without changing it, or rewrite its segments without damaged records.
 */
import { join } from 'node:path';
import { type QueueFs, realFs } from './fs.js';
import { encodeRecord, readRecord } from './record.js';
import { scanSegment } from './segment-scan.js';

export interface SegmentReport {
  file: string;
  bytes: number;
  records: number;
  firstId: string | null;
  lastId: string | null;
  damage: { offset: number; bytes: number; reason: string }[];
  tornTail: { offset: number; reason: string } | null;
}

export interface QueueReport {
  dir: string;
  ackFloor: string;
  pendingRecords: number;
  segments: SegmentReport[];
  damagedRanges: number;
  ok: boolean;
}

const SEG_RE = /^seg-\d{12}\.dat$/;

function ledgerFloor(fs: QueueFs, dir: string): bigint {
  const p = join(dir, 'ledger.json');
  if (!fs.existsSync(p)) return 0n;
  try {
    return BigInt(
      (JSON.parse(fs.readFileSync(p).toString('utf8')) as { ack_floor?: string }).ack_floor ?? '0',
    );
  } catch {
    return 0n;
  }
}

export function inspectQueue(dir: string, fs: QueueFs = realFs): QueueReport {
  const floor = ledgerFloor(fs, dir);
  const segments: SegmentReport[] = [];
  let pending = 0;
  let damaged = 0;
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => SEG_RE.test(n))
    .sort()) {
    const buf = fs.readFileSync(join(dir, name));
    const scan = scanSegment(buf);
    for (const r of scan.records) if (r.id >= floor) pending++;
    damaged += scan.damage.length + (scan.tornAt === -1 ? 0 : 1);
    segments.push({
      file: name,
      bytes: buf.length,
      records: scan.records.length,
      firstId: scan.records[0]?.id.toString() ?? null,
      lastId: scan.records[scan.records.length - 1]?.id.toString() ?? null,
      damage: scan.damage.map((d) => ({ offset: d.off, bytes: d.bytes, reason: d.reason })),
      tornTail: scan.tornAt === -1 ? null : { offset: scan.tornAt, reason: scan.tornReason },
    });
  }
  return {
    dir,
    ackFloor: floor.toString(),
    pendingRecords: pending,
    segments,
    damagedRanges: damaged,
    ok: damaged === 0,
  };
}

/** Rewrite every damaged segment with only its valid records. Returns the report from before. */
export function repairQueue(dir: string, fs: QueueFs = realFs): QueueReport {
  const before = inspectQueue(dir, fs);
  for (const seg of before.segments) {
    if (seg.damage.length === 0 && seg.tornTail === null) continue;
    const path = join(dir, seg.file);
    const buf = fs.readFileSync(path);
    const parts: Buffer[] = [];
    for (const r of scanSegment(buf).records) {
      const rr = readRecord(buf, r.off);
      if (rr.kind === 'ok') parts.push(encodeRecord(rr.id, rr.payload));
    }
    const tmp = `${path}.repair`;
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, path);
  }
  return before;
}
