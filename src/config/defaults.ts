/**
 * Default values, in one place, with the DataKit source of each so a
 * reviewer can check them: DataKit's built-in defaults where it has them
 * (not the values of its sample datakit.conf, which an operator may have
 * edited), and plkit's own choices for the keys plkit adds.
 */

export const MIB = 1024 * 1024;

export const HTTP_API = {
  listen: 'localhost:9529',
  timeoutMs: 30_000,
  /** DataKit documents 100 QPS as the default of ENV_REQUEST_RATE_LIMIT and its sample conf. */
  requestRateLimit: 100,
  /** plkit: bodies beyond this (after decompression) answer 413. */
  maxBodyBytes: 64 * MIB,
} as const;

export const DATAWAY = {
  timeoutMs: 30_000,
  /** DataKit: minimum 1 (no retry), maximum 10. */
  maxRetryCount: 1,
  maxRetryCountLimit: 10,
  retryDelayMs: 1000,
  contentEncoding: 'v2',
  gzip: true,
  maxRawBodySize: MIB,
  /** DataKit refuses smaller bodies in protect mode. */
  minRawBodySize: 100 * 1024,
  idleTimeoutMs: 90_000,
  walMaxCapacityGb: 2,
  walFailCacheCleanIntervalMs: 30_000,
} as const;

export const IO = {
  maxCacheCount: 1000,
  /** DataKit ignores ENV_IO_MAX_CACHE_COUNT below this. */
  minEnvMaxCacheCount: 1000,
  flushIntervalMs: 10_000,
  flushWorkers: 0,
} as const;

export const PIPELINE = {
  remotePullIntervalMs: 60_000,
  referTablePullIntervalMs: 5 * 60_000,
  ipdbType: 'iploc',
  httpRequestTimeoutMs: 10_000,
  httpRequestMaxResponseBytes: 1024 * 1024,
} as const;

export const OFFLOAD = {
  receiver: 'datakit-http',
  /** DataKit's fixed batch size. */
  batchSize: 128,
  /** plkit: far below DataKit's 15 s so offloaded logs are not delayed. */
  flushIntervalMs: 100,
  balance: 'round_robin',
  healthCheckIntervalMs: 5_000,
  spoolDir: 'offload-spool',
  spoolCapacityMiB: 1024,
  /** DataKit's sender dials with a 30 s timeout. */
  timeoutMs: 30_000,
  /** plkit loses nothing by default: a full spool pauses intake. */
  whenFull: 'block',
} as const;

export const LOGGING = {
  source: 'default',
  maxOpenFiles: 500,
  /** DataKit's sample conf for the logging input, used when it is enabled by name only. */
  sampleLogfiles: ['/var/log/syslog', '/var/log/messages'],
} as const;

export const PLOFFLOAD = {
  storagePath: './ploffload_storage',
  storageCapacityMiB: 5120,
} as const;

export const CHARACTER_ENCODINGS = ['', 'utf-8', 'utf-16le', 'utf-16be', 'gbk', 'gb18030'] as const;
