/** @module pipeline/funcs — the built-in function registry (see README.md). */
import type { FuncDef } from '../lang/func-api.js';
import { CAST_FUNCS } from './cast.js';
import { COLLECTION_FUNCS } from './collections.js';
import { CONTROL_FUNCS } from './control.js';
import { DEFAULT_TIME_FUNCS } from './default-time.js';
import { ENCODING_FUNCS } from './encoding.js';
import { GROK_FUNCS } from './grok.js';
import { JSON_FUNCS } from './json.js';
import { KEY_FUNCS } from './keys.js';
import { POINT_FUNCS } from './points.js';
import { Registry } from './registry.js';
import { STRING_FUNCS } from './strings.js';
import { STRUCTURED_FUNCS } from './structured.js';
import { TEXT_FUNCS } from './text.js';
import { TIME_FUNCS } from './timefuncs.js';
import { WEB_FUNCS } from './web.js';

export { defineFunc, Registry } from './registry.js';
export { type PipelineServices, servicesOf } from './services.js';

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

/** The registry with every built-in function plkit has so far. */
export function defaultRegistry(): Registry {
  return new Registry([...TIER1_FUNCS, ...TIER2_FUNCS]);
}
