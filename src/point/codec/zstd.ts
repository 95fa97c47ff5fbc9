/**
 * Bounded zstd decompression of a request body (Node 20 has no zstd in
 * node:zlib, so this uses the pure-JS `fzstd`).
 *
 * Two limits keep a hostile body from exhausting memory:
 * - before decoding, every frame header is read: a frame that declares more
 *   content than the limit is refused outright, and so is one whose window
 *   (the history buffer the decoder must allocate up front, up to 2 GiB by
 *   the format) exceeds the limit, with a floor for ordinary compressor
 *   settings;
 * - while decoding, output arrives block by block (at most 128 KiB each)
 *   and decoding stops as soon as the total passes the limit.
 */
import { Decompress } from 'fzstd';
import { CodecError } from './errors.js';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** Windows up to this size are always allowed (zstd -19 uses 8 MiB). */
const WINDOW_FLOOR = 8 * 1024 * 1024;

export const BODY_TOO_LARGE = 'PLK_ERR_BODY_TOO_LARGE';
export const CORRUPT_BODY = 'PLK_ERR_CORRUPT_BODY';

function corrupt(why: string): CodecError {
  return new CodecError(CORRUPT_BODY, `corrupt zstd body: ${why}`);
}

function tooLarge(what: string): CodecError {
  return new CodecError(BODY_TOO_LARGE, `zstd body ${what}`);
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Read every frame header; throws when one cannot be decoded within `maxBytes`. */
function checkFrames(body: Uint8Array, maxBytes: number): void {
  const windowLimit = Math.max(maxBytes, WINDOW_FLOOR);
  let declared = 0;
  let p = 0;
  while (p < body.length) {
    if (p + 4 > body.length) throw corrupt(`truncated frame magic at byte ${p}`);
    const magic = u32le(body, p);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      const end = p + 8 + (p + 8 <= body.length ? u32le(body, p + 4) : 0);
      if (p + 8 > body.length || end > body.length) throw corrupt(`truncated skippable frame at byte ${p}`);
      p = end;
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw corrupt(`bad frame magic at byte ${p}`);
    if (p + 5 > body.length) throw corrupt(`truncated frame header at byte ${p}`);
    const fhd = body[p + 4]!;
    if (fhd & 0x08) throw corrupt(`reserved bit set in frame header at byte ${p}`);
    const single = (fhd >> 5) & 1;
    const fcsFlag = fhd >> 6;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    let q = p + 5;
    let window = 0;
    if (!single) {
      const wd = body[q++];
      if (wd === undefined) throw corrupt(`truncated frame header at byte ${p}`);
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    q += dictBytes;
    if (q + fcsBytes > body.length) throw corrupt(`truncated frame header at byte ${p}`);
    let fcs = -1;
    if (fcsBytes > 0) {
      fcs = 0;
      for (let i = fcsBytes - 1; i >= 0; i--) fcs = fcs * 256 + body[q + i]!;
      if (fcsBytes === 2) fcs += 256;
    }
    q += fcsBytes;
    if (single) window = fcs;
    if (fcs > maxBytes || (fcs > 0 && declared + fcs > maxBytes))
      throw tooLarge(`declares ${declared + fcs} bytes of content, over the limit of ${maxBytes} bytes`);
    if (fcs > 0) declared += fcs;
    if (window > windowLimit)
      throw tooLarge(`needs a ${window}-byte decoding window, over the limit of ${windowLimit} bytes`);
    // Walk the blocks to find the next frame.
    for (;;) {
      if (q + 3 > body.length) throw corrupt(`truncated block header at byte ${q}`);
      const h = body[q]! | (body[q + 1]! << 8) | (body[q + 2]! << 16);
      const type = (h >> 1) & 3;
      const size = h >>> 3;
      if (type === 3) throw corrupt(`reserved block type at byte ${q}`);
      q += 3 + (type === 1 ? 1 : size);
      if (h & 1) break;
    }
    if (fhd & 0x04) q += 4; // content checksum
    if (q > body.length) throw corrupt(`truncated frame at byte ${p}`);
    p = q;
  }
}

/** Decompress a zstd body of one or more frames, refusing output beyond `maxBytes`. */
export function zstdDecompress(body: Uint8Array, maxBytes: number): Uint8Array {
  checkFrames(body, maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const d = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(`inflates past the limit of ${maxBytes} bytes`);
    chunks.push(chunk);
  });
  try {
    d.push(body, true);
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(CORRUPT_BODY, `corrupt zstd body: ${(e as Error).message}`, { cause: e });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    out.set(chunks[i]!, at);
    at += chunks[i]!.length;
  }
  return out;
}
