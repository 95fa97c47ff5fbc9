/**
 * Scans one segment file's bytes into its valid records and the damaged
 * ranges between them. A bad record is skipped by resynchronising on the
 * next magic number whose record verifies, so one flipped bit costs one
 * record, not the rest of the segment.
 */
import { findNextMagic, readRecord } from './record.js';

export interface ScannedRecord {
  id: bigint;
  off: number;
  len: number; // payload length
}

export interface Damage {
  off: number;
  bytes: number;
  reason: string;
}

export interface SegmentScan {
  records: ScannedRecord[];
  damage: Damage[];
  /** Offset where an incomplete final record starts (an interrupted write), or -1. */
  tornAt: number;
  tornReason: string;
}

export function scanSegment(buf: Buffer): SegmentScan {
  const records: ScannedRecord[] = [];
  const damage: Damage[] = [];
  let off = 0;
  let lastId = -1n;
  while (off < buf.length) {
    const r = readRecord(buf, off);
    if (r.kind === 'ok' && r.id > lastId) {
      records.push({ id: r.id, off, len: r.payload.length });
      lastId = r.id;
      off = r.next;
      continue;
    }
    const reason = r.kind === 'ok' ? `record id ${r.id} out of order at offset ${off}` : r.reason;
    // Look for the next verifiable record after the bad spot.
    let cand = findNextMagic(buf, off + 1);
    let resync = -1;
    while (cand !== -1) {
      const c = readRecord(buf, cand);
      if (c.kind === 'ok' && c.id > lastId) {
        resync = cand;
        break;
      }
      cand = findNextMagic(buf, cand + 1);
    }
    if (resync === -1) {
      // Nothing valid follows: an interrupted final write (torn tail) or
      // damage running to the end of the file; both end the segment here.
      return { records, damage, tornAt: off, tornReason: reason };
    }
    damage.push({ off, bytes: resync - off, reason });
    off = resync;
  }
  return { records, damage, tornAt: -1, tornReason: '' };
}
