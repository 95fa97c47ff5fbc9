/**
 * Request-body `Content-Encoding` (SPEC §2: gzip, deflate, br, zstd; also
 * the `encoding=` query parameter), decoded with a hard cap on the inflated
 * size so a small compressed body cannot expand into gigabytes (zip bomb):
 * zlib and brotli stop at `maxOutputLength` without allocating past it, and
 * zstd is fed block by block (see zstd.ts).
 *
 * Failures are thrown as `CodecError` with a stable code:
 * `PLK_ERR_BODY_TOO_LARGE` (names the limit; HTTP 413),
 * `PLK_ERR_UNKNOWN_ENCODING` and `PLK_ERR_CORRUPT_BODY` (name the encoding;
 * HTTP 400).
 */
import { constants as bufferConstants } from 'node:buffer';
import {
  brotliCompressSync,
  brotliDecompressSync,
  deflateSync,
  gunzipSync,
  gzipSync,
  inflateRawSync,
  inflateSync,
  constants as zlibConstants,
} from 'node:zlib';
import { CodecError } from './errors.js';
import { BODY_TOO_LARGE, CORRUPT_BODY, zstdDecompress } from './zstd.js';

export { BODY_TOO_LARGE, CORRUPT_BODY } from './zstd.js';
export const UNKNOWN_ENCODING = 'PLK_ERR_UNKNOWN_ENCODING';

export type CompressionEncoding = 'gzip' | 'deflate' | 'br';

const SUPPORTED = 'gzip, deflate, br, zstd, identity';

/**
 * Undo `encoding` (a Content-Encoding value; several comma-separated
 * codings are undone last first). Empty, absent or `identity` returns the
 * body as is. The result is never longer than `maxBytes`.
 */
export function decompressBody(body: Uint8Array, encoding: string | undefined, maxBytes: number): Uint8Array {
  let out = body;
  if (encoding !== undefined && encoding !== '' && body.length > 0) {
    const codings = encoding.split(',');
    for (let i = codings.length - 1; i >= 0; i--) {
      const c = codings[i]!.trim().toLowerCase();
      if (c !== '') out = decodeOne(out, c, maxBytes);
    }
  }
  if (out.length > maxBytes) {
    throw new CodecError(
      BODY_TOO_LARGE,
      `request body of ${out.length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  return out;
}

function decodeOne(body: Uint8Array, coding: string, maxBytes: number): Uint8Array {
  const opts = { maxOutputLength: Math.max(1, Math.min(Math.floor(maxBytes), bufferConstants.MAX_LENGTH)) };
  try {
    switch (coding) {
      case 'identity':
        return body;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, opts);
      case 'deflate':
        return inflateEither(body, opts);
      case 'br':
        return brotliDecompressSync(body, opts);
      case 'zstd':
        return zstdDecompress(body, maxBytes);
      default:
        throw new CodecError(
          UNKNOWN_ENCODING,
          `unsupported Content-Encoding ${JSON.stringify(coding)} (supported: ${SUPPORTED})`,
        );
    }
  } catch (e) {
    if (e instanceof CodecError) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CodecError(BODY_TOO_LARGE, `${coding} body inflates past the limit of ${maxBytes} bytes`, {
        cause: e,
      });
    }
    throw new CodecError(CORRUPT_BODY, `corrupt ${coding} body: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * HTTP "deflate" is zlib-wrapped (RFC 1950), but some clients send raw
 * deflate; raw data can start with bytes that look like a zlib header, so
 * a failed zlib inflate is retried raw before the first error is reported.
 */
function inflateEither(body: Uint8Array, opts: { maxOutputLength: number }): Uint8Array {
  if (!hasZlibHeader(body)) return inflateRawSync(body, opts);
  try {
    return inflateSync(body, opts);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw e;
    try {
      return inflateRawSync(body, opts);
    } catch {
      throw e;
    }
  }
}

/** RFC 1950: deflate method, and the header checksum is a multiple of 31. */
function hasZlibHeader(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

/** Compress a body for sending (uploads, tests). */
export function compressBody(body: Uint8Array | string, encoding: CompressionEncoding): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(body);
    case 'deflate':
      return deflateSync(body);
    case 'br':
      // Quality 11 (the default) is far too slow for request bodies.
      return brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
    default:
      throw new CodecError(
        UNKNOWN_ENCODING,
        `cannot compress with ${JSON.stringify(encoding)} (supported: gzip, deflate, br)`,
      );
  }
}
