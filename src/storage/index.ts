/** @module storage — the one disk queue (WAL, offload spool, ploffload cache). */
export type {
  DiskQueueOptions,
  FsyncPolicy,
  QueueEvent,
  QueueRecord,
  QueueStats,
  WhenFull,
} from './disk-queue.js';
export { DiskQueue } from './disk-queue.js';
export type { QueueFs } from './fs.js';
export { realFs } from './fs.js';
export type { QueueReport, SegmentReport } from './inspect.js';
export { inspectQueue, repairQueue } from './inspect.js';
