/**
 * CRC-32 (IEEE 802.3). Node's native `zlib.crc32` (Node >= 20.15) is an
 * order of magnitude faster than a JS loop on large records; the table
 * version is the fallback for older runtimes and for sub-ranges.
 */
import * as zlib from 'node:zlib';

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC of `buf[start, end)`, continuing from `crc` (0 to start). */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  if (native !== undefined) return native(buf.subarray(start, end), crc) >>> 0;
  return crc32js(buf, start, end, crc);
}

/** The portable implementation (also what tests compare the native one with). */
export function crc32js(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
