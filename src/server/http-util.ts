/**
 * Small request/response helpers shared by every HTTP server in plkit (the
 * agent's API and the embedded local DataWay): bounded body reading with
 * decompression, JSON answers and DataKit's error answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BufferPool } from '../common/buffer-pool.js';
import { decompressBody } from '../point/codec/compression.js';
import { ApiError } from './api-error.js';

/** A body read into a pooled buffer: `release()` once nothing reads `body` any more. */
export interface PooledBody {
  body: Uint8Array;
  release: () => void;
}

const noRelease = () => {};

/**
 * Read the whole request body, refusing more than `maxBytes` on the wire.
 * With `pool`, a body that came in several chunks is joined in one of the
 * pool's buffers (when it fits) instead of a fresh one: see `PooledBody`.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer>;
export function readBody(req: IncomingMessage, maxBytes: number, pool: BufferPool): Promise<PooledBody>;
export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  pool?: BufferPool,
): Promise<Buffer | PooledBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? -1);
    if (declared > maxBytes) {
      req.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (pool === undefined) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      else resolve(joinPooled(chunks, size, pool));
    });
    req.on('error', (e) =>
      reject(new ApiError(400, 'badRequest', `reading request body failed: ${e.message}`)),
    );
    req.on('aborted', () => reject(new ApiError(400, 'badRequest', 'client aborted the request body')));
  });
}

function joinPooled(chunks: Buffer[], size: number, pool: BufferPool): PooledBody {
  if (chunks.length === 1) return { body: chunks[0]!, release: noRelease };
  if (size > pool.size) return { body: Buffer.concat(chunks, size), release: noRelease };
  const b = pool.take();
  let at = 0;
  for (let i = 0; i < chunks.length; i++) {
    b.set(chunks[i]!, at);
    at += chunks[i]!.length;
  }
  let given = false;
  return {
    body: b.subarray(0, size),
    release: () => {
      if (!given) pool.give(b);
      given = true;
    },
  };
}

function tooLarge(max: number): ApiError {
  return new ApiError(413, 'requestEntityTooLarge', `request body larger than ${max} bytes`);
}

/**
 * Read and decompress a body: `Content-Encoding` header first, then the
 * `encoding=` query parameter; inflating past `maxBytes` is refused.
 */
export async function readDecodedBody(
  req: IncomingMessage,
  query: URLSearchParams,
  maxBytes: number,
): Promise<Uint8Array>;
export async function readDecodedBody(
  req: IncomingMessage,
  query: URLSearchParams,
  maxBytes: number,
  pool: BufferPool,
): Promise<PooledBody>;
export async function readDecodedBody(
  req: IncomingMessage,
  query: URLSearchParams,
  maxBytes: number,
  pool?: BufferPool,
): Promise<Uint8Array | PooledBody> {
  const got =
    pool === undefined
      ? { body: await readBody(req, maxBytes), release: noRelease }
      : await readBody(req, maxBytes, pool);
  const enc = (req.headers['content-encoding'] as string | undefined) || query.get('encoding') || undefined;
  if (enc === undefined || enc === '' || enc === 'identity') return pool === undefined ? got.body : got;
  let body: Uint8Array;
  try {
    body = decompressBody(got.body, enc, maxBytes);
  } catch (e) {
    got.release();
    const code = (e as { code?: string }).code;
    if (code === 'PLK_ERR_BODY_TOO_LARGE')
      throw new ApiError(413, 'requestEntityTooLarge', (e as Error).message);
    throw new ApiError(400, 'invalidContentEncoding', (e as Error).message);
  }
  if (pool === undefined) return body;
  // Only `identity` codings: still the wire bytes. Otherwise inflated into buffers of its own.
  if (body.buffer === got.body.buffer) return { body, release: got.release };
  got.release();
  return { body, release: noRelease };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e =
    err instanceof ApiError
      ? err
      : new ApiError(500, 'internalError', `internal error: ${(err as Error)?.message ?? err}`);
  const text = e.body();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(e.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...e.headers,
  });
  res.end(text);
}

/** A client address is loopback (DataKit's public_apis only restrict others). */
export function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}
