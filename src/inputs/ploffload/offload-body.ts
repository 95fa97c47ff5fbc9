/**
 * Decoding an offloaded request body as DataKit's ploffload input does:
 * by Content-Type (protobuf from DataKit's and plkit's senders; line
 * protocol, JSON and PBJSON for robustness), line-protocol timestamps in
 * nanoseconds unless `precision=` says otherwise. Unlike DataKit, a bad
 * body is refused whole with a precise 400 before anything is stored, so
 * the sender learns about it (and dead-letters it) instead of the batch
 * vanishing in the processor's cache.
 */
import type { Category } from '../../point/category.js';
import { decodeBody } from '../../point/codec/index.js';
import type { Point } from '../../point/point.js';
import { ApiError } from '../../server/api-error.js';

export function decodeOffloadBody(
  category: Category,
  body: Uint8Array,
  contentType: string,
  query: URLSearchParams,
  now: bigint,
): Point[] {
  const precision = query.get('precision') || 'n';
  const r = decodeBody(body, contentType, { category, precision, now });
  if (r.errors.length > 0) {
    const first = r.errors[0]!;
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more)` : '';
    throw new ApiError(
      400,
      first.code,
      `${first.message}${more}: body of ${body.length} bytes refused, ${r.points.length} point(s) were readable`,
    );
  }
  if (r.points.length === 0) throw new ApiError(400, 'noPoints', 'no points in the body');
  if (query.has('strict')) {
    for (const p of r.points) {
      if (p.warns !== null && p.warns.length > 0) {
        throw new ApiError(400, 'pointGotWarning', `strict mode: ${p.name}: ${p.warns[0]!.msg}`);
      }
    }
  }
  return r.points;
}
