/**
 * A WAL record is one body fragment already in the upload encoding plus its
 * point count, so a batch is made by concatenation, never by re-encoding:
 * protobuf `PBPoints` messages concatenate into one valid `PBPoints`, and
 * line-protocol fragments join with a newline.
 *
 * Layout: u32 LE point count, then the fragment bytes.
 */
export function encodeWalRecord(count: number, fragment: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(4 + fragment.length);
  out.writeUInt32LE(count, 0);
  out.set(fragment, 4);
  return out;
}

export function decodeWalRecord(rec: Buffer): { count: number; fragment: Buffer } | null {
  if (rec.length < 4) return null;
  return { count: rec.readUInt32LE(0), fragment: rec.subarray(4) };
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
