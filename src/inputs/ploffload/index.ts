/** @module inputs/ploffload — the receiving side of Pipeline Offload (`/v1/write/ploffload/:category`). */
export { BatchIdWindow, isUsableBatchId } from './batch-id-window.js';
export type { PloffloadMetrics } from './metrics.js';
export { ploffloadMetrics } from './metrics.js';
export { decodeOffloadBody } from './offload-body.js';
export type { PloffloadInputOptions } from './ploffload-input.js';
export { PLOFFLOAD_ROUTE, PloffloadInput } from './ploffload-input.js';
export type { RequestRecord } from './request-record.js';
export { decodeRequestRecord, encodeRequestRecord } from './request-record.js';
