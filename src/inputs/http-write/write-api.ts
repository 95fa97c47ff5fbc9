/**
 * `POST /v1/write/:category` — DataKit's write API (SPEC §3).
 *
 * Differences from DataKit, on purpose: a body with some bad lines is still
 * answered 400 `invalidLinePoint` (so DataKit senders behave as before), but
 * the good points of that body are kept and fed, and the answer names every
 * bad line and how many points were accepted. The answer is sent only after
 * the points are durably accepted downstream; a full downstream answers 503
 * with Retry-After instead of buffering without bound.
 */

import { BufferPool } from '../../common/buffer-pool.js';
import type { Metrics } from '../../common/metrics.js';
import { PlkError } from '../../common/plk-error.js';
import type { Feed } from '../../io/feed.js';
import { categoryFromUrl } from '../../point/category.js';
import { decodeBody, encodePoints, encodingOfContentType } from '../../point/codec/index.js';
import type { Point } from '../../point/point.js';
import { ApiError } from '../../server/api-error.js';
import type { ApiServer } from '../../server/api-server.js';
import { readDecodedBody } from '../../server/http-util.js';
import { isUsableBatchId } from '../ploffload/batch-id-window.js';

const PRECISIONS = new Set(['', 'n', 'ns', 'u', 'us', 'ms', 's', 'm', 'h']);

export interface WriteApiOptions {
  maxBodyBytes: number;
  metrics: Metrics;
  /** Clock for points without a timestamp (tests pin it). */
  now?: () => bigint;
}

const ECHO_TYPES = {
  lp: ['lp', 'text/plain; charset=utf-8'],
  json: ['json', 'application/json'],
  pbjson: ['pbjson', 'application/pbjson; proto=com.guance.Point'],
} as const;

export function registerWriteApi(server: ApiServer, feed: Feed, opts: WriteApiOptions): void {
  const now = opts.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  // Bodies that arrive in several chunks are joined here rather than in a fresh buffer each
  // (a fresh one per request sets off V8's full GCs: common/buffer-pool.ts).
  const bodyPool = new BufferPool(1 << 20, 4);
  const received = opts.metrics.counter('datakit_io_feed_point_total', 'Input feed point total', [
    'name',
    'category',
  ]);
  const forwarded = opts.metrics.counter(
    'plkit_http_write_forwarded_point_total',
    'Points offloaded straight from the request body, never decoded into points on this host',
    ['category'],
  );
  const badLines = opts.metrics.counter(
    'plkit_http_write_bad_point_total',
    'Points refused by the write API',
    ['category', 'code'],
  );

  server.route('POST', '/v1/write/:category', async ({ req, res, params, query }) => {
    const category = categoryFromUrl(params.category ?? '');
    if (category === undefined)
      throw new ApiError(400, 'invalidCategory', `invalid category ${JSON.stringify(params.category)}`);
    const precision = query.get('precision') ?? '';
    if (!PRECISIONS.has(precision)) {
      throw new ApiError(
        400,
        'invalidPrecision',
        `invalid precision ${JSON.stringify(precision)}: expected n, u, ms, s, m or h`,
      );
    }
    const echo = query.get('echo');
    if (echo !== null && !(echo in ECHO_TYPES)) {
      throw new ApiError(
        400,
        'invalidEcho',
        `invalid echo ${JSON.stringify(echo)}: expected lp, json or pbjson`,
      );
    }
    const pooled = await readDecodedBody(req, query, opts.maxBodyBytes, bodyPool);
    const body = pooled.body;
    if (body.length === 0) throw new ApiError(400, 'emptyBody', 'empty request body');

    const contentType = String(req.headers['content-type'] ?? '');
    const hop = req.headers['x-plkit-hop'] !== undefined;
    const input = query.get('input') || 'datakit-http';
    const source = query.get('source');
    const receivedNs = now();
    if (
      feed.hasOffload &&
      echo === null &&
      !hop &&
      !query.has('strict') &&
      !query.has('dry') &&
      encodingOfContentType(contentType) === 'lp'
    ) {
      // Every point offloaded unprocessed: forwarded without being decoded (null: decode as usual).
      let n: number | null;
      try {
        n = await feed.forwardRaw({
          category,
          body,
          precision,
          nowNs: receivedNs,
          input,
          scriptName: source ? `${source}.p` : undefined,
          source: source || undefined,
          ignoreGlobalHostTags: query.has('ignore_global_host_tags') || query.has('ignore_global_tags'),
        });
      } catch (e) {
        throw downstreamError(e);
      }
      if (n !== null) {
        // The fast road copied the body before its first await: the buffer may serve the next request.
        // (On the ordinary road it is left to the GC: decoded points might keep views of it.)
        pooled.release();
        received.inc({ name: input, category }, n);
        forwarded.inc({ category }, n);
        res.writeHead(200, { 'Content-Length': 0 });
        res.end();
        return;
      }
    }
    const decoded = decodeBody(body, contentType, { category, precision, now: receivedNs });
    let points = decoded.points;

    if (query.has('strict')) {
      const warned = points.filter((p) => p.warns !== null && p.warns.length > 0);
      if (warned.length > 0) {
        const msgs = warned.flatMap((p) => p.warns!.map((w) => `${p.name}: ${w.msg}`));
        badLines.inc({ category, code: 'pointGotWarning' }, warned.length);
        throw new ApiError(
          400,
          'pointGotWarning',
          `strict mode: ${warned.length} point(s) got warnings: ${msgs.join('; ')}`,
        );
      }
    }
    if (points.length === 0 && decoded.errors.length === 0)
      throw new ApiError(400, 'noPoints', 'no points in the body');

    let final: Point[] = [];
    if (points.length > 0) {
      received.inc({ name: input, category }, points.length);
      try {
        const r = await feed.feed({
          category,
          points,
          input,
          scriptName: source ? `${source}.p` : undefined,
          source: source || undefined,
          ignoreGlobalHostTags: query.has('ignore_global_host_tags') || query.has('ignore_global_tags'),
          dry: query.has('dry'),
          // Sent by a plkit offloader: process here, never offload again (loop prevention),
          // and upload keyed by its batch id (stored once however often it is processed).
          arrivedOffloaded: hop,
          batchKey: hop ? offloadBatchKey(req.headers['x-plkit-batch-id']) : undefined,
        });
        final = r.points;
      } catch (e) {
        throw downstreamError(e);
      }
      points = final;
    }

    if (decoded.errors.length > 0) {
      const first = decoded.errors[0]!;
      badLines.inc({ category, code: first.code.replace(/^datakit\./, '') }, decoded.errors.length);
      const summary = decoded.errors
        .slice(0, 20)
        .map((e) => e.message)
        .join('\n');
      const more = decoded.errors.length > 20 ? `\n… and ${decoded.errors.length - 20} more` : '';
      throw new ApiError(
        400,
        first.code,
        `${summary}${more}\nwith ${decoded.points.length} point(s) parsed ok and kept, ${decoded.errors.length} failed`,
        {
          extra: {
            accepted_points: decoded.points.length,
            bad_lines: decoded.errors
              .slice(0, 1000)
              .map((e) => ({ line: e.line, offset: e.offset, reason: e.message })),
          },
        },
      );
    }

    if (echo !== null) {
      const [enc, type] = ECHO_TYPES[echo as keyof typeof ECHO_TYPES];
      const out = encodePoints(points, enc);
      res.writeHead(200, { 'Content-Type': type });
      res.end(typeof out === 'string' ? out : Buffer.from(out));
      return;
    }
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
  });
}

/** Downstream refusals become answers a sender knows how to retry. */
export function downstreamError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof PlkError && (e.code === 'PLK_ERR_QUEUE_FULL' || e.code === 'PLK_ERR_OFFLOAD_FULL')) {
    return new ApiError(503, 'serviceBusy', `cannot accept points now: ${e.message}`, {
      headers: { 'Retry-After': '5' },
    });
  }
  return new ApiError(503, 'serviceUnavailable', `points not accepted downstream: ${(e as Error).message}`, {
    headers: { 'Retry-After': '5' },
  });
}

/** The batch id a plkit offloader sent, when it is one we can key packages by. */
function offloadBatchKey(h: string | string[] | undefined): string | undefined {
  return isUsableBatchId(h) ? h : undefined;
}
