/** @module dataway — the DataWay uploader over the WAL. */
export { DatawayEndpoint } from './endpoint.js';
export type { DatawayMetrics } from './metrics.js';
export type { DatawayUploaderOptions } from './uploader.js';
export { DatawayUploader } from './uploader.js';
