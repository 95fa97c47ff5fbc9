/**
 * DataWay's workspace token: senders put it in the `token` query parameter
 * of every write and pull URL. When the local DataWay has a token, anything
 * else is refused the way DataKit's API refuses it.
 */
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../server/api-error.js';

export function requireToken(query: URLSearchParams, token: string | undefined): void {
  if (token === undefined || token === '') return;
  const got = query.get('token') ?? '';
  const a = Buffer.from(got);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(403, 'invalidToken', got === '' ? 'missing token' : 'invalid token');
  }
}
