/**
 * `[dataway]` and `[dataway.wal]` of datakit.conf with DataKit's defaults
 * and clamps. URLs are only collected here; they are parsed after the
 * environment had its say (`finishDataway`), so an `ENV_DATAWAY` URL is
 * checked the same way as one from the file.
 */
import { resolve } from 'node:path';
import { type Category, categoryFromName } from '../point/category.js';
import { DATAWAY } from './defaults.js';
import type { Draft } from './draft.js';
import type { IssueSink, IssueWhere } from './issues.js';
import type { Origins } from './origins.js';
import type { TableReader } from './table-reader.js';
import type { DatawayConfig } from './types.js';
import { parseDatawayUrl } from './urls.js';

export function defaultDataway(cacheDir: string): Draft<DatawayConfig> {
  return {
    urls: [],
    endpoints: [],
    timeoutMs: DATAWAY.timeoutMs,
    maxRetryCount: DATAWAY.maxRetryCount,
    retryDelayMs: DATAWAY.retryDelayMs,
    contentEncoding: DATAWAY.contentEncoding,
    gzip: DATAWAY.gzip,
    maxRawBodySize: DATAWAY.maxRawBodySize,
    httpProxy: '',
    tlsInsecure: false,
    idleTimeoutMs: DATAWAY.idleTimeoutMs,
    wal: {
      maxCapacityGb: DATAWAY.walMaxCapacityGb,
      path: resolve(cacheDir, 'dw-wal'),
      noDropCategories: [],
      failCacheCleanIntervalMs: DATAWAY.walFailCacheCleanIntervalMs,
    },
  };
}

export function readDataway(t: TableReader | null, workdir: string, cfg: Draft<DatawayConfig>): void {
  if (t === null) return;
  cfg.urls = t.stringList('urls', []);
  const oldUrl = t.deprecated('url', 'use urls = ["…"]');
  if (typeof oldUrl === 'string' && cfg.urls.length === 0 && oldUrl !== '') cfg.urls = [oldUrl];
  t.deprecated('host', 'use urls = ["…"]');
  t.deprecated('scheme', 'use urls = ["…"]');
  t.deprecated('token', 'put the token in urls (…?token=tkn_…)');

  if (t.has('timeout_v2')) cfg.timeoutMs = t.duration('timeout_v2', cfg.timeoutMs, { intNanos: true });
  else if (t.has('timeout')) {
    t.warn('timeout', 'deprecated: use timeout_v2');
    cfg.timeoutMs = t.duration('timeout', cfg.timeoutMs);
  }
  t.ignore('timeout', 'timeout_v2');
  if (cfg.timeoutMs <= 0) cfg.timeoutMs = DATAWAY.timeoutMs; // DataKit: non-positive means the default

  cfg.maxRetryCount = clampRetryCount(t.integer('max_retry_count', cfg.maxRetryCount), (msg) =>
    t.warn('max_retry_count', msg),
  );
  cfg.retryDelayMs = t.duration('retry_delay', cfg.retryDelayMs, { intNanos: true });
  cfg.httpProxy = t.string('http_proxy', cfg.httpProxy);
  cfg.tlsInsecure = t.bool('tls_insecure', cfg.tlsInsecure);
  cfg.idleTimeoutMs = t.duration('idle_timeout', cfg.idleTimeoutMs, { intNanos: true });
  const enc = t.string('content_encoding', cfg.contentEncoding);
  cfg.contentEncoding = contentEncoding(enc, (msg) => t.warn('content_encoding', msg));
  cfg.gzip = t.bool('gzip', cfg.gzip);
  cfg.maxRawBodySize = t.integer('max_raw_body_size', cfg.maxRawBodySize, { min: 0 });

  const wal = t.subTable('wal');
  if (wal !== null) {
    cfg.wal.maxCapacityGb = wal.number('max_capacity_gb', cfg.wal.maxCapacityGb, { min: 0 });
    const p = wal.string('path', '');
    if (p !== '') cfg.wal.path = resolve(workdir, p);
    cfg.wal.failCacheCleanIntervalMs = wal.duration(
      'fail_cache_clean_interval',
      cfg.wal.failCacheCleanIntervalMs,
      {
        intNanos: true,
      },
    );
    const names = wal.stringList('no_drop_categories', []);
    cfg.wal.noDropCategories = categoryList(names, (i, msg) => wal.error(['no_drop_categories', i], msg));
    wal.finish();
  }
  t.finish();
}

/** DataKit: at least 1 attempt, at most 10. */
export function clampRetryCount(n: number, warn: (msg: string) => void): number {
  if (n < 1) {
    warn(`${n} raised to 1 (one attempt, no retry)`);
    return 1;
  }
  if (n > DATAWAY.maxRetryCountLimit) {
    warn(`${n} lowered to ${DATAWAY.maxRetryCountLimit}`);
    return DATAWAY.maxRetryCountLimit;
  }
  return n;
}

/** DataKit's names for the upload encodings; anything else falls back to line protocol. */
export function contentEncoding(s: string, warn: (msg: string) => void): 'v1' | 'v2' {
  switch (s.toLowerCase()) {
    case 'v2':
    case 'protobuf':
      return 'v2';
    case 'v1':
    case 'line-protocol':
    case 'lineprotocol':
    case 'lineproto':
      return 'v1';
    default:
      warn(`unknown encoding ${JSON.stringify(s)}, using "v1" (line protocol) as DataKit does`);
      return 'v1';
  }
}

/** Category names (`L`, `logging`, `CO`…); unknown names are reported and skipped. */
export function categoryList(names: readonly string[], error: (i: number, msg: string) => void): Category[] {
  const out: Category[] = [];
  for (let i = 0; i < names.length; i++) {
    const c = categoryFromName(names[i]!.trim());
    if (c === undefined) {
      error(
        i,
        `unknown category ${JSON.stringify(names[i])} (expected M, N, E, O, CO, L, T, R, S, P or a full name)`,
      );
    } else if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** Parses the effective URLs into endpoints and applies limits that depend on protect mode. */
export function finishDataway(
  cfg: Draft<DatawayConfig>,
  protectMode: boolean,
  origins: Origins,
  sink: IssueSink,
): void {
  const at = (i: number): IssueWhere => {
    const w = origins.where('dataway.urls');
    return w.env !== undefined && w.env !== null ? w : { ...w, key: `dataway.urls[${i}]` };
  };
  cfg.endpoints = [];
  for (let i = 0; i < cfg.urls.length; i++) {
    const r = parseDatawayUrl(cfg.urls[i]!);
    if (!r.ok) sink.error(at(i), r.reason);
    else {
      cfg.endpoints.push(r.value);
      if (r.note !== undefined) sink.warn(at(i), r.note);
    }
  }
  if (cfg.urls.length === 0) {
    sink.warn({ key: 'dataway.urls' }, 'no DataWay configured: processed data will not be uploaded');
  } else if (cfg.urls.length > 1) {
    sink.warn(at(1), 'several DataWay URLs are a deprecated DataKit feature; configure one');
  }
  if (cfg.maxRawBodySize === 0) cfg.maxRawBodySize = DATAWAY.maxRawBodySize;
  if (protectMode && cfg.maxRawBodySize < DATAWAY.minRawBodySize) {
    sink.warn(
      origins.where('dataway.max_raw_body_size'),
      `${cfg.maxRawBodySize} raised to ${DATAWAY.minRawBodySize} bytes (protect mode; set protect_mode = false to allow less)`,
    );
    cfg.maxRawBodySize = DATAWAY.minRawBodySize;
  }
}
