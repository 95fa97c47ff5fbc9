/**
 * A write's request body both as sent and decompressed: the store keeps
 * the bytes as sent (smaller, and nothing to re-encode) while the route
 * decodes the inflated ones. Same rules and error answers as the shared
 * `readDecodedBody`: `Content-Encoding` first, then the `encoding=` query
 * parameter; inflating past the limit is refused 413, a corrupt or unknown
 * coding 400.
 */
import type { IncomingMessage } from 'node:http';
import { BODY_TOO_LARGE, decompressBody } from '../point/codec/compression.js';
import { ApiError } from '../server/api-error.js';
import { readBody } from '../server/http-util.js';

export interface WireBody {
  /** The bytes as received. */
  raw: Buffer;
  /** The coding that was undone; '' when none. */
  coding: string;
  /** The decompressed body (`raw` itself when there was no coding). */
  body: Uint8Array;
}

export async function readWireBody(
  req: IncomingMessage,
  query: URLSearchParams,
  maxBytes: number,
): Promise<WireBody> {
  const raw = await readBody(req, maxBytes);
  const coding = (req.headers['content-encoding'] as string | undefined) || query.get('encoding') || '';
  if (coding === '' || coding === 'identity') return { raw, coding: '', body: raw };
  try {
    return { raw, coding, body: decompressBody(raw, coding, maxBytes) };
  } catch (e) {
    if ((e as { code?: string }).code === BODY_TOO_LARGE)
      throw new ApiError(413, 'requestEntityTooLarge', (e as Error).message);
    throw new ApiError(400, 'invalidContentEncoding', (e as Error).message);
  }
}
