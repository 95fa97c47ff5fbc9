import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CompressionEncoding,
  compressBody,
  decompressBody,
} from '../../../src/point/codec/compression.js';
import { CodecError } from '../../../src/point/codec/errors.js';

const MiB = 1024 * 1024;
const text = Buffer.from(
  'nginx,host=web-1 message="GET / 200",status="info" 1704067200000000000\n'.repeat(200),
);

/** Run `fn`, expecting a CodecError; returns it. */
function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  throw new Error('expected a CodecError');
}

// zstd frames made with the zstd CLI (Node 20 has no zstd compressor).
const ZSTD_HELLO = Buffer.from('KLUv/QRolQAAYGhlbGxvIHpzdGQgCgEA/ooXqeve/w==', 'base64'); // -19, with checksum
const ZSTD_TWO_FRAMES = Buffer.from('KLUv/QRYUQAAZnJhbWUgb25lCoa3phsotS/9AFhRAABmcmFtZSB0d28K', 'base64');
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** A zstd frame (128 KiB window, no content size) of `blocks` RLE blocks of 128 KiB zeros each. */
function zstdRleBomb(blocks: number): Uint8Array {
  const out = [...ZSTD_MAGIC, 0x00, 0x38];
  for (let i = 0; i < blocks; i++) {
    const h = (131072 << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0);
    out.push(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x00);
  }
  return Uint8Array.from(out);
}

/** A gzip body of `members` concatenated members of 1 MiB zeros each (~1 KiB per member). */
function gzipBomb(members: number): Buffer {
  const one = gzipSync(Buffer.alloc(MiB));
  return Buffer.concat(new Array<Buffer>(members).fill(one));
}

describe('decompressBody', () => {
  it.each(['gzip', 'deflate', 'br'] as CompressionEncoding[])('round-trips %s', (enc) => {
    const packed = compressBody(text, enc);
    expect(packed.length).toBeLessThan(text.length / 5);
    expect(Buffer.from(decompressBody(packed, enc, 10 * MiB)).equals(text)).toBe(true);
  });

  it.each([
    ['identity', 'identity'],
    ['empty', ''],
    ['absent', undefined],
  ])('passes %s bodies through', (_what, enc) => {
    expect(decompressBody(text, enc, 10 * MiB)).toBe(text);
  });

  it('matches codings case-insensitively, accepts x-gzip and raw deflate, undoes several codings last first', () => {
    expect(Buffer.from(decompressBody(compressBody(text, 'gzip'), ' GZip ', MiB)).equals(text)).toBe(true);
    expect(Buffer.from(decompressBody(compressBody(text, 'gzip'), 'x-gzip', MiB)).equals(text)).toBe(true);
    const rawDeflate = deflateRawSync(text);
    expect(Buffer.from(decompressBody(rawDeflate, 'deflate', MiB)).equals(text)).toBe(true);
    const twice = compressBody(compressBody(text, 'gzip'), 'br');
    expect(Buffer.from(decompressBody(twice, 'gzip, br', MiB)).equals(text)).toBe(true);
  });

  it('decodes zstd frames made by the zstd CLI, including concatenated frames', () => {
    expect(Buffer.from(decompressBody(ZSTD_HELLO, 'zstd', MiB)).toString()).toBe(
      'hello zstd hello zstd hello zstd\n',
    );
    expect(Buffer.from(decompressBody(ZSTD_TWO_FRAMES, 'zstd', MiB)).toString()).toBe(
      'frame one\nframe two\n',
    );
  });

  it('refuses a gzip bomb (100 MiB of zeros) with PLK_ERR_BODY_TOO_LARGE naming the limit', () => {
    const bomb = gzipBomb(100);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const e = codecError(() => decompressBody(bomb, 'gzip', 4 * MiB));
    expect(e.code).toBe('PLK_ERR_BODY_TOO_LARGE');
    expect(e.message).toBe(`gzip body inflates past the limit of ${4 * MiB} bytes`);
  });

  it.each(['deflate', 'br'] as CompressionEncoding[])('refuses a %s bomb', (enc) => {
    const bomb = compressBody(Buffer.alloc(16 * MiB), enc);
    expect(codecError(() => decompressBody(bomb, enc, MiB)).code).toBe('PLK_ERR_BODY_TOO_LARGE');
  });

  it('refuses a zstd bomb (100 MiB of RLE blocks) while decoding', () => {
    const bomb = zstdRleBomb(800);
    expect(bomb.length).toBeLessThan(4 * 1024);
    const e = codecError(() => decompressBody(bomb, 'zstd', 4 * MiB));
    expect(e.code).toBe('PLK_ERR_BODY_TOO_LARGE');
    expect(e.message).toContain(`limit of ${4 * MiB} bytes`);
    // Under the limit the same construction decodes.
    expect(decompressBody(zstdRleBomb(8), 'zstd', 4 * MiB).length).toBe(8 * 131072);
  });

  it('refuses zstd frames that declare too much content or too large a window, before decoding', () => {
    // single segment, 8-byte content size of 100 GiB
    const declared = Uint8Array.from([...ZSTD_MAGIC, 0xe0, 0, 0, 0, 0, 25, 0, 0, 0, 0x01, 0, 0]);
    expect(codecError(() => decompressBody(declared, 'zstd', MiB)).message).toMatch(
      /declares 107374182400 bytes/,
    );
    // window descriptor for a 1 GiB window
    const window = Uint8Array.from([...ZSTD_MAGIC, 0x00, 0xa0, 0x01, 0x00, 0x00]);
    expect(codecError(() => decompressBody(window, 'zstd', MiB)).message).toMatch(
      /1073741824-byte decoding window/,
    );
  });

  it('refuses an identity body over the limit, and lets one at the limit through', () => {
    expect(codecError(() => decompressBody(text, undefined, text.length - 1)).code).toBe(
      'PLK_ERR_BODY_TOO_LARGE',
    );
    expect(decompressBody(compressBody(text, 'gzip'), 'gzip', text.length).length).toBe(text.length);
    expect(codecError(() => decompressBody(compressBody(text, 'gzip'), 'gzip', text.length - 1)).code).toBe(
      'PLK_ERR_BODY_TOO_LARGE',
    );
  });

  it.each([
    ['gzip', Buffer.from('not gzip at all')],
    ['gzip', compressBody(text, 'gzip').subarray(0, 40)],
    ['deflate', Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff])],
    ['br', Buffer.from('not brotli')],
    ['zstd', Buffer.from('not zstd!')],
    ['zstd', ZSTD_HELLO.subarray(0, ZSTD_HELLO.length - 6)],
    ['zstd', Uint8Array.from([...ZSTD_MAGIC, 0x08, 0x38])],
  ])('reports corrupt %s data with PLK_ERR_CORRUPT_BODY naming the encoding', (enc, body) => {
    const e = codecError(() => decompressBody(body, enc, MiB));
    expect(e.code).toBe('PLK_ERR_CORRUPT_BODY');
    expect(e.message).toMatch(new RegExp(`^corrupt ${enc} body: `));
  });

  it('reports an unknown encoding with PLK_ERR_UNKNOWN_ENCODING', () => {
    const e = codecError(() => decompressBody(text, 'compress', MiB));
    expect(e.code).toBe('PLK_ERR_UNKNOWN_ENCODING');
    expect(e.message).toBe(
      'unsupported Content-Encoding "compress" (supported: gzip, deflate, br, zstd, identity)',
    );
    expect(codecError(() => compressBody(text, 'zstd' as CompressionEncoding)).code).toBe(
      'PLK_ERR_UNKNOWN_ENCODING',
    );
  });

  it('returns an empty body as is whatever its encoding says', () => {
    expect(decompressBody(new Uint8Array(0), 'gzip', MiB).length).toBe(0);
  });
});
