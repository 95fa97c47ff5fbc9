/**
 * @module offload — the agent side of Pipeline Offload: batches unprocessed
 * logging points to post-level processors (DataKit or plkit), balances and
 * fails over between them, spools when none is reachable.
 */
export type { Answer } from './answer.js';
export { classifyAnswer } from './answer.js';
export { Balancer } from './balancer.js';
export type { LoopGuardEnv, LoopTarget } from './loop-guard.js';
export { refuseSelfAddresses } from './loop-guard.js';
export type { OffloadMetrics } from './metrics.js';
export { offloadMetrics } from './metrics.js';
export type { OffloaderStatus, ReceiverStatus } from './offloader.js';
export { Offloader } from './offloader.js';
export type { OffloaderOptions } from './options.js';
export { OFFLOADER_DEFAULTS, offloaderOptionsFromConfig } from './options.js';
export type { ReceiverWire } from './receivers/index.js';
export { datakitHttpWire, ploffloadWire, wireOf } from './receivers/index.js';
export { retryAfterMs } from './retry-after.js';
export { Target } from './target.js';
