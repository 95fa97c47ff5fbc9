/** @module pipeline/funcs — the built-in function registry (see README.md). */
import type { FuncDef } from '../lang/func-api.js';
import { AGG_FUNCS } from './aggregate.js';
import { CACHE_FUNCS } from './cache.js';
import { CAST_FUNCS } from './cast.js';
import { COLLECTION_FUNCS } from './collections.js';
import { CONTROL_FUNCS } from './control.js';
import { DEFAULT_TIME_FUNCS } from './default-time.js';
import { ENCODING_FUNCS } from './encoding.js';
import { GEO_FUNCS } from './geo.js';
import { GROK_FUNCS } from './grok.js';
import { HTTP_FUNCS } from './http.js';
import { JSON_FUNCS } from './json.js';
import { KEY_FUNCS } from './keys.js';
import { POINT_FUNCS } from './points.js';
import { REFER_TABLE_FUNCS } from './refer-table.js';
import { Registry } from './registry.js';
import { STRING_FUNCS } from './strings.js';
import { STRUCTURED_FUNCS } from './structured.js';
import { TEXT_FUNCS } from './text.js';
import { TIME_FUNCS } from './timefuncs.js';
import { WEB_FUNCS } from './web.js';
import { WINDOW_FUNCS } from './window.js';

export { defineFunc, Registry } from './registry.js';
export { type PipelineServices, requireService, servicesOf } from './services.js';

export const TIER1_FUNCS: readonly FuncDef[] = [
  ...KEY_FUNCS,
  ...CONTROL_FUNCS,
  ...JSON_FUNCS,
  ...CAST_FUNCS,
  ...STRING_FUNCS,
  ...COLLECTION_FUNCS,
  ...DEFAULT_TIME_FUNCS,
  ...GROK_FUNCS,
];

export const TIER2_FUNCS: readonly FuncDef[] = [
  ...ENCODING_FUNCS,
  ...WEB_FUNCS,
  ...TEXT_FUNCS,
  ...STRUCTURED_FUNCS,
  ...TIME_FUNCS,
  ...POINT_FUNCS,
];

/** Functions with outside state: each takes its service from the run (see services.ts). */
export const TIER3_FUNCS: readonly FuncDef[] = [
  ...GEO_FUNCS,
  ...CACHE_FUNCS,
  ...AGG_FUNCS,
  ...WINDOW_FUNCS,
  ...REFER_TABLE_FUNCS,
  ...HTTP_FUNCS,
];

/** The registry with every built-in function. */
export function defaultRegistry(): Registry {
  return new Registry([...TIER1_FUNCS, ...TIER2_FUNCS, ...TIER3_FUNCS]);
}
