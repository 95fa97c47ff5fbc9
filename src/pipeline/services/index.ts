/**
 * @module pipeline/services — outside state of the tier-3 functions
 * (geoip, cache, aggregation, point windows, reference tables,
 * http_request), built from configuration by `createPipelineServices`.
 * See README.md.
 */
export { AggService, type AggServiceOptions, type AggSink, type BucketSpec } from './aggregation.js';
export {
  createPipelineServices,
  GEOLITE2_DIR,
  type PipelineServiceDeps,
  type PipelineServiceSet,
} from './create-services.js';
export { ExpiringLru } from './expiring-lru.js';
export { GeoIpService, type GeoRecord } from './geoip.js';
export {
  type HttpCall,
  type HttpCallResult,
  HttpRequestService,
  type HttpRequestServiceOptions,
} from './http-request.js';
export { NetPolicy, type NetPolicyOptions } from './net-policy.js';
export { PointWindowService, type RunOutcome } from './point-window.js';
export { ReferTableService, type ReferTableServiceOptions } from './refer-table-service.js';
export { type CellValue, ReferTableError, ReferTables } from './refer-tables.js';
export { ScriptCacheService } from './script-cache.js';
