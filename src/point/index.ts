/** @module point — the point model, intake checks and status mapping. */
export type { Category } from './category.js';
export { CATEGORIES, categoryFromName, categoryFromUrl, isCategory } from './category.js';
export type { IntakeLimits } from './normalize.js';
export { DEFAULT_LIMITS, DEFAULT_MEASUREMENT, normalizePoint } from './normalize.js';
export type { Warn } from './point.js';
export { Point } from './point.js';
export { normalizeStatus } from './status.js';
export type { TypedPoint, TypedValue } from './typed-json.js';
export { fromTyped, fromTypedValue, TypedShapeError, toTyped, toTypedValue } from './typed-json.js';
export type { BasicValue, FieldArray, FieldValue, ValueKind } from './value.js';
export { INT64_MAX, INT64_MIN, kindOf, UINT64_MAX, UInt } from './value.js';
