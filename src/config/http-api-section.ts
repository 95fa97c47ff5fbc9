/**
 * `[http_api]` of datakit.conf: the listener of the write API with
 * DataKit's keys, plus plkit's `tokens` and `max_body_bytes`.
 */
import { HTTP_API } from './defaults.js';
import type { Draft } from './draft.js';
import type { TableReader } from './table-reader.js';
import type { HttpApiConfig } from './types.js';
import { splitHostPort } from './urls.js';

export function readHttpApi(t: TableReader | null): Draft<HttpApiConfig> {
  const cfg: Draft<HttpApiConfig> = {
    listen: HTTP_API.listen,
    publicApis: [],
    timeoutMs: HTTP_API.timeoutMs,
    requestRateLimit: HTTP_API.requestRateLimit,
    tokens: [],
    maxBodyBytes: HTTP_API.maxBodyBytes,
  };
  if (t === null) return cfg;
  cfg.listen = t.string('listen', cfg.listen);
  const listenErr = checkListen(cfg.listen);
  if (listenErr !== null) {
    t.error('listen', listenErr);
    cfg.listen = HTTP_API.listen;
  }
  cfg.publicApis = t.stringList('public_apis', []);
  for (let i = 0; i < cfg.publicApis.length; i++) {
    if (!cfg.publicApis[i]!.startsWith('/')) t.warn(['public_apis', i], 'an API path should start with "/"');
  }
  cfg.timeoutMs = t.duration('timeout', cfg.timeoutMs, { positive: true });
  cfg.requestRateLimit = t.number('request_rate_limit', cfg.requestRateLimit);
  cfg.tokens = t.stringList('tokens', []).filter((x) => x !== '');
  cfg.maxBodyBytes = t.integer('max_body_bytes', cfg.maxBodyBytes, { min: 1 });
  t.finish();
  return cfg;
}

/** Null when `listen` is a usable `host:port`, `[v6]:port` or Unix socket path. */
export function checkListen(listen: string): string | null {
  if (listen.startsWith('/')) return null; // Unix domain socket
  if (splitHostPort(listen) === null)
    return `expected "host:port" (e.g. "0.0.0.0:9529") or a socket path, got ${JSON.stringify(listen)}`;
  return null;
}
