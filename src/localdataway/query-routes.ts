/**
 * Read-back APIs of the local DataWay, for tests and curious humans:
 *
 * - `GET /v1/query?category=logging&name=nginx&limit=100` — the newest
 *   points (by point time) as a JSON array in the typed shape, oldest first;
 * - `GET /v1/query/count?category=…&name=…` — `{"count": N}`.
 *
 * `name` is optional in both. Stored points are already typed-shape JSON,
 * so the array is assembled from the stored texts without re-parsing them.
 */
import type { ServerResponse } from 'node:http';
import { type Category, categoryFromUrl } from '../point/category.js';
import { ApiError } from '../server/api-error.js';
import type { ApiServer } from '../server/api-server.js';
import { sendJson } from '../server/http-util.js';
import type { PointStore } from './store.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 10_000;

export function registerQueryRoutes(server: ApiServer, store: PointStore): void {
  server.route('GET', '/v1/query', ({ res, query }) => {
    const category = categoryParam(query);
    const limit = limitParam(query);
    sendJsonText(res, `[${store.newest(category, nameParam(query), limit).join(',')}]`);
  });
  server.route('GET', '/v1/query/count', ({ res, query }) => {
    sendJson(res, 200, { count: store.count(categoryParam(query), nameParam(query)) });
  });
}

function categoryParam(query: URLSearchParams): Category {
  const raw = query.get('category');
  if (raw === null || raw === '')
    throw new ApiError(400, 'invalidCategory', 'missing query parameter category');
  const c = categoryFromUrl(raw);
  if (c === undefined) throw new ApiError(400, 'invalidCategory', `invalid category ${JSON.stringify(raw)}`);
  return c;
}

function nameParam(query: URLSearchParams): string | undefined {
  const name = query.get('name');
  return name === null || name === '' ? undefined : name;
}

function limitParam(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return DEFAULT_QUERY_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_QUERY_LIMIT) {
    throw new ApiError(
      400,
      'invalidParameter',
      `limit must be an integer from 1 to ${MAX_QUERY_LIMIT}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

function sendJsonText(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
