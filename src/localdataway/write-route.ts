/**
 * `POST /v1/write/:category` of the local DataWay: what DataKit's (and
 * plkit's) uploader sends — line protocol or protobuf by Content-Type,
 * optionally gzip — decoded with the category's intake checks and stored.
 *
 * Like a real DataWay, a body with any bad point is refused whole (400), so
 * the sender counts it as rejected rather than half-delivered. `X-Pkg-Id`
 * makes retries idempotent: a package id accepted before is answered 200
 * without storing its points again.
 */
import { categoryFromUrl } from '../point/category.js';
import { type DecodeResult, decodeBody, summarizeLineErrors } from '../point/codec/index.js';
import { ApiError } from '../server/api-error.js';
import type { ApiServer } from '../server/api-server.js';
import { readDecodedBody, sendJson } from '../server/http-util.js';
import type { PointStore } from './store.js';
import { requireToken } from './token.js';

export interface WriteRouteOptions {
  store: PointStore;
  token?: string;
  maxBodyBytes: number;
  /** Receive time (ns) for points without a timestamp; tests pin it. */
  now: () => bigint;
}

/** How many bad points the error message lists in full. */
const LISTED_ERRORS = 20;
/** How many bad points the `bad_lines` member lists. */
const MAX_BAD_LINES = 1000;

export function registerWriteRoute(server: ApiServer, opts: WriteRouteOptions): void {
  server.route('POST', '/v1/write/:category', async ({ req, res, params, query }) => {
    requireToken(query, opts.token);
    const category = categoryFromUrl(params.category ?? '');
    if (category === undefined) {
      throw new ApiError(400, 'invalidCategory', `invalid category ${JSON.stringify(params.category)}`);
    }
    const body = await readDecodedBody(req, query, opts.maxBodyBytes);
    if (body.length === 0) throw new ApiError(400, 'emptyBody', 'empty request body');

    const contentType = String(req.headers['content-type'] ?? '');
    const decoded = decodeBody(body, contentType, { category, now: opts.now() });
    if (decoded.errors.length > 0) throw rejectBody(decoded);
    if (decoded.points.length === 0) throw new ApiError(400, 'noPoints', 'no points in the body');

    const pkgId = req.headers['x-pkg-id'];
    opts.store.insertBatch(category, decoded.points, typeof pkgId === 'string' ? pkgId : undefined);
    sendJson(res, 200, {});
  });
}

function rejectBody(decoded: DecodeResult): ApiError {
  const { errors } = decoded;
  return new ApiError(400, errors[0]!.code, `body refused: ${summarizeLineErrors(decoded, LISTED_ERRORS)}`, {
    extra: {
      bad_lines: errors
        .slice(0, MAX_BAD_LINES)
        .map((e) => ({ line: e.line, offset: e.offset, reason: e.message })),
    },
  });
}
