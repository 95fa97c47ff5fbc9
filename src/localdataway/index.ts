/** @module localdataway — the embedded DataWay for running without a cloud account. */
export type { HomeSection } from './home-page.js';
export type { RemotePipelinesAnswer } from './remote-pipelines.js';
export { RemotePipelines } from './remote-pipelines.js';
export type { LocalDatawayOptions } from './server.js';
export { LocalDataway } from './server.js';
export type { InsertResult, ReceivedPoint } from './store.js';
export { PointStore } from './store.js';
