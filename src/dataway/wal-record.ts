/**
 * A WAL record is one body fragment already in the upload encoding plus its
 * point count, so a batch is made by concatenation, never by re-encoding:
 * protobuf `PBPoints` messages concatenate into one valid `PBPoints`, and
 * line-protocol fragments join with a newline.
 *
 * A record may carry a package key: it is then uploaded as a package of
 * its own whose `X-Pkg-Id` is derived from the key alone. Offloaded batches
 * use this — the key is the agent's batch id — so whichever processor
 * uploads a batch, and however often (a processor killed after its upload
 * but before its acknowledgement, a batch re-routed after a lost answer),
 * DataWay sees one package id and keeps one copy.
 *
 * Layout: u32 LE point count, then the fragment bytes; with a key, the
 * count has its top bit set and is followed by u16 LE key length and the
 * UTF-8 key, then the fragment.
 */
const KEYED = 0x8000_0000;

export interface WalRecord {
  count: number;
  /** Package key, or null for records that may be merged with their neighbours. */
  key: string | null;
  fragment: Buffer;
}

export function encodeWalRecord(count: number, fragment: Uint8Array, key: string | null = null): Uint8Array {
  if (key === null) {
    const out = Buffer.allocUnsafe(4 + fragment.length);
    out.writeUInt32LE(count, 0);
    out.set(fragment, 4);
    return out;
  }
  const k = Buffer.from(key, 'utf8');
  if (k.length > 0xffff) throw new RangeError(`package key of ${k.length} bytes is longer than 65535`);
  const out = Buffer.allocUnsafe(6 + k.length + fragment.length);
  out.writeUInt32LE((count | KEYED) >>> 0, 0);
  out.writeUInt16LE(k.length, 4);
  k.copy(out, 6);
  out.set(fragment, 6 + k.length);
  return out;
}

/** Point count and whether the record is keyed, without decoding it. */
export function peekWalRecord(rec: Buffer): { count: number; keyed: boolean } {
  if (rec.length < 4) return { count: 0, keyed: false };
  const head = rec.readUInt32LE(0);
  return { count: head & ~KEYED, keyed: (head & KEYED) !== 0 };
}

export function decodeWalRecord(rec: Buffer): WalRecord | null {
  if (rec.length < 4) return null;
  const head = rec.readUInt32LE(0);
  if ((head & KEYED) === 0) return { count: head, key: null, fragment: rec.subarray(4) };
  if (rec.length < 6) return null;
  const n = rec.readUInt16LE(4);
  if (rec.length < 6 + n) return null;
  return {
    count: head & ~KEYED,
    key: rec.toString('utf8', 6, 6 + n),
    fragment: rec.subarray(6 + n),
  };
}

/** Join fragments into one body: `\n` between line-protocol fragments, nothing between protobuf ones. */
export function joinFragments(frags: Buffer[], lineProtocol: boolean): Buffer {
  if (frags.length === 1) return frags[0]!;
  if (!lineProtocol) return Buffer.concat(frags);
  const parts: Buffer[] = [];
  const nl = Buffer.from('\n');
  for (let i = 0; i < frags.length; i++) {
    if (i > 0) parts.push(nl);
    parts.push(frags[i]!);
  }
  return Buffer.concat(parts);
}
