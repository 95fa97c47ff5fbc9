/**
 * On-disk record framing of the disk queue:
 *
 * ```
 * offset size
 *   0     2   magic 0x504c ("PL") — lets a reader resynchronise after damage
 *   2     4   payload length (u32 LE)
 *   6     4   CRC-32 over bytes 10.. (id + payload)
 *  10     8   record id (u64 LE), +1 per record, never reused
 *  18     n   payload
 * ```
 */
import { crc32 } from './crc32.js';

export const MAGIC = 0x504c;
export const HEADER_SIZE = 18;
export const MAX_RECORD_PAYLOAD = 256 * 1024 * 1024;

export function encodeRecord(id: bigint, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  buf.writeUInt16LE(MAGIC, 0);
  buf.writeUInt32LE(payload.length, 2);
  buf.writeBigUInt64LE(id, 10);
  buf.set(payload, HEADER_SIZE);
  buf.writeUInt32LE(crc32(buf, 10), 6);
  return buf;
}

export type RecordRead =
  | { kind: 'ok'; id: bigint; payload: Buffer; next: number }
  | { kind: 'torn'; reason: string } // ends before the record does: an interrupted write
  | { kind: 'corrupt'; reason: string };

/** Parse the record starting at `off` in `buf`. */
export function readRecord(buf: Buffer, off: number): RecordRead {
  if (off + HEADER_SIZE > buf.length) return { kind: 'torn', reason: `header cut at offset ${off}` };
  if (buf.readUInt16LE(off) !== MAGIC) return { kind: 'corrupt', reason: `bad magic at offset ${off}` };
  const len = buf.readUInt32LE(off + 2);
  if (len > MAX_RECORD_PAYLOAD)
    return { kind: 'corrupt', reason: `implausible length ${len} at offset ${off}` };
  const end = off + HEADER_SIZE + len;
  if (end > buf.length)
    return {
      kind: 'torn',
      reason: `record at offset ${off} cut (${buf.length - off} of ${end - off} bytes)`,
    };
  const want = buf.readUInt32LE(off + 6);
  const got = crc32(buf, off + 10, end);
  if (want !== got) return { kind: 'corrupt', reason: `checksum mismatch at offset ${off}` };
  return {
    kind: 'ok',
    id: buf.readBigUInt64LE(off + 10),
    payload: buf.subarray(off + HEADER_SIZE, end),
    next: end,
  };
}

/** Next offset after `from` where a magic number starts (candidate for resync), or -1. */
export function findNextMagic(buf: Buffer, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) {
    if (buf[i] === (MAGIC & 0xff) && buf[i + 1] === MAGIC >> 8) return i;
  }
  return -1;
}
