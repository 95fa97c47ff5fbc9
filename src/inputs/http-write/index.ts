/** @module inputs/http-write — DataKit's `/v1/write/:category` API. */
export type { WriteApiOptions } from './write-api.js';
export { downstreamError, registerWriteApi } from './write-api.js';
