/**
 * `GET /v1/datakit/pull` of the local DataWay. DataKit asks for several
 * things through this one URL, each behind a flag: `remote_pipelines=true`
 * (scripts and the source→script relation, see remote-pipelines.ts) and
 * `filters=true` (the blacklist, which the local DataWay keeps empty).
 * Members not asked for are left out, as DataWay does.
 */
import { ApiError } from '../server/api-error.js';
import type { ApiServer } from '../server/api-server.js';
import { sendJson } from '../server/http-util.js';
import type { RemotePipelines } from './remote-pipelines.js';
import { requireToken } from './token.js';

export function registerPullRoute(
  server: ApiServer,
  remote: RemotePipelines,
  token: string | undefined,
): void {
  server.route('GET', '/v1/datakit/pull', ({ res, query }) => {
    requireToken(query, token);
    const answer: Record<string, unknown> = {};
    if (flag(query, 'remote_pipelines')) {
      answer.remote_pipelines = remote.answer(secondsParam(query, 'ts'));
      secondsParam(query, 'relation_ts'); // validated for a clear error; unused (see remote-pipelines.ts)
    }
    if (flag(query, 'filters')) answer.filters = {};
    sendJson(res, 200, answer);
  });
}

/** Go's strconv.ParseBool spellings of true, which DataKit sends. */
function flag(query: URLSearchParams, key: string): boolean {
  const v = query.get(key);
  return v === 'true' || v === '1' || v === 't' || v === 'T' || v === 'TRUE' || v === 'True';
}

function secondsParam(query: URLSearchParams, key: string): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return 0;
  if (!/^-?\d{1,15}$/.test(raw)) {
    throw new ApiError(
      400,
      'invalidParameter',
      `${key} must be an integer of seconds, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}
