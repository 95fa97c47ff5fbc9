/**
 * Outside state functions may use, passed explicitly to `compileScript`
 * (and optionally per run). Everything is optional: the tier-1/2
 * functions behave as DataKit does without a service; a tier-3 function
 * whose service is missing fails its run with a clear error
 * (`requireService`), so a script never silently skips work the operator
 * did not set up. `createPipelineServices` (src/pipeline/services/) builds
 * the set the agent uses.
 */

import { RunFault } from '../lang/errors.js';
import type { Script } from '../lang/script.js';
import type { Value } from '../lang/values.js';
import type { AggService } from '../services/aggregation.js';
import type { GeoRecord } from '../services/geoip.js';
import type { HttpCall, HttpCallResult } from '../services/http-request.js';
import type { PointWindowService } from '../services/point-window.js';
import type { CellValue } from '../services/refer-tables.js';
import type { ScriptCacheService } from '../services/script-cache.js';

export interface GeoIpLookup {
  lookup(ip: string): GeoRecord | null;
}

export interface ReferTableLookup {
  query(table: string, columns: readonly string[], values: readonly Value[]): Map<string, CellValue> | null;
}

export interface HttpRequester {
  request(call: HttpCall): HttpCallResult;
}

export interface PipelineServices {
  /** Resolves `use("name.p")` within the caller's namespace and category. */
  resolveScript?: (name: string, category: string) => Script | null;
  /** Grok pattern library shared by scripts (see `src/pipeline/grok/`). */
  grok?: unknown;
  /** Clock in Unix nanoseconds (time functions, sample). */
  clock?: () => bigint;
  /** `geoip()`: an IP database. */
  geoip?: GeoIpLookup;
  /** `cache_get` / `cache_set`: per-script caches. */
  cache?: ScriptCacheService;
  /** `agg_create` / `agg_metric`: the shared buckets. */
  agg?: AggService;
  /** `point_window` / `window_hit`: per-script windows (the stage settles runs). */
  pointWindows?: PointWindowService;
  /** `query_refer_table` / `mquery_refer_table`. */
  referTables?: ReferTableLookup;
  /** `http_request`: present only when the operator enabled it. */
  httpRequest?: HttpRequester;
  /** Further services added by later work. */
  [name: string]: unknown;
}

export function servicesOf(x: unknown): PipelineServices {
  return (x !== null && typeof x === 'object' ? x : {}) as PipelineServices;
}

/** What each tier-3 service is called when it is missing, and how to get it. */
const MISSING: Readonly<Record<string, string>> = {
  geoip: 'no IP database is configured ([pipeline] ipdb_type = "geolite2" with GeoLite2-City.mmdb)',
  cache: 'the pipeline cache service is not available',
  agg: 'the aggregation service is not available',
  pointWindows: 'the point window service is not available',
  referTables: 'no reference tables are configured ([pipeline] refer_table_url)',
  httpRequest: 'http_request is disabled ([pipeline] http_request_enabled = true enables it)',
};

/** The run's service `key`, or a run fault naming the function and the missing setup. */
export function requireService<K extends keyof PipelineServices>(
  services: unknown,
  key: K,
  func: string,
): NonNullable<PipelineServices[K]> {
  const s = servicesOf(services)[key];
  if (s === undefined || s === null)
    throw new RunFault(`${func}: ${MISSING[key as string] ?? `${String(key)} missing`}`);
  return s as NonNullable<PipelineServices[K]>;
}
