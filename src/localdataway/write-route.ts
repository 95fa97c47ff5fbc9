/**
 * `POST /v1/write/:category` of the local DataWay: what DataKit's (and
 * plkit's) uploader sends — line protocol or protobuf by Content-Type,
 * optionally gzip — decoded with the category's intake checks and stored.
 *
 * Like a real DataWay, a body with any bad point is refused whole (400), so
 * the sender counts it as rejected rather than half-delivered. `X-Pkg-Id`
 * makes retries idempotent: a package id accepted before is answered 200
 * without storing its points again. The body is stored as sent and decoded
 * again on read (see stored-body.ts); here it is only checked and indexed.
 */
import { categoryFromUrl } from '../point/category.js';
import {
  type DecodeResult,
  decodeBody,
  encodingOfContentType,
  summarizeLineErrors,
} from '../point/codec/index.js';
import { ApiError } from '../server/api-error.js';
import type { ApiServer } from '../server/api-server.js';
import { sendJson } from '../server/http-util.js';
import { indexPoints } from './body-index.js';
import { indexProtobuf } from './pb-index.js';
import type { PointStore } from './store.js';
import { requireToken } from './token.js';
import { readWireBody } from './wire-body.js';

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
    const wire = await readWireBody(req, query, opts.maxBodyBytes);
    if (wire.body.length === 0) throw new ApiError(400, 'emptyBody', 'empty request body');

    const contentType = String(req.headers['content-type'] ?? '');
    const format = encodingOfContentType(contentType);
    const now = opts.now();
    // Protobuf (what uploaders send) is indexed off the wire; anything that
    // walk is unsure of, and every other format, goes through the decoder.
    let index = format === 'protobuf' ? indexProtobuf(wire.body, now) : null;
    if (index === null || index.points === 0) {
      const decoded = decodeBody(wire.body, contentType, { category, now });
      if (decoded.errors.length > 0) throw rejectBody(decoded);
      if (decoded.points.length === 0) throw new ApiError(400, 'noPoints', 'no points in the body');
      index = indexPoints(decoded.points);
    }

    const pkgId = req.headers['x-pkg-id'];
    opts.store.insertBody(
      category,
      { format, coding: wire.coding, data: wire.raw, now },
      index,
      typeof pkgId === 'string' ? pkgId : undefined,
    );
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
