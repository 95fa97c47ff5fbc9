/**
 * The offloader's typed options, their defaults, and the mapping from the
 * loaded `[pipeline.offload]` configuration.
 */
import { readFileSync } from 'node:fs';
import type { HttpClient } from '../common/http-client.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { PlkError } from '../common/plk-error.js';
import type { OffloadBalance, OffloadConfig, OffloadReceiver, OffloadWhenFull } from '../config/types.js';
import type { FsyncPolicy } from '../storage/index.js';

export interface OffloaderOptions {
  receiver: OffloadReceiver;
  /** Receiver addresses; only scheme and host are used (as DataKit). */
  addresses: readonly string[];
  /** Folder of the spool (a disk queue). */
  spoolPath: string;
  /** Points per batch (default 128, DataKit's). */
  batchSize?: number;
  /** A partial batch is sent after this long (default 100 ms; DataKit: 15 s). */
  flushIntervalMs?: number;
  balance?: OffloadBalance;
  /** Tag/field names whose values pin points to one receiver (`balance = "affinity"`). */
  affinityKeys?: readonly string[];
  /** Longest back-off between health checks of an ejected receiver (default 5 s). */
  healthCheckIntervalMs?: number;
  /** Spool capacity, MiB (default 1024). */
  spoolCapacityMiB?: number;
  /** Full spool: `block` refuses new batches (PLK_ERR_OFFLOAD_FULL), `drop_oldest` drops, counted. */
  whenFull?: OffloadWhenFull;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** PEM text of an extra CA (not a path; `offloaderOptionsFromConfig` reads the file). */
  tlsCaPem?: string;
  tlsInsecureSkipVerify?: boolean;
  /** Whole-request timeout per attempt (default 30 s). */
  timeoutMs?: number;
  /** Batches in flight per receiver (default 4). */
  maxInFlightPerReceiver?: number;
  /** Dead-letter file (default `<spoolPath>-dead-letter.jsonl`) and its size cap (default 64 MiB). */
  deadLetterPath?: string;
  deadLetterMaxBytes?: number;
  /** The agent's own `http_api.listen`: an address reaching it is refused at start. */
  selfListen?: string;
  /** Back-off of a receiver that answered 429/503 without Retry-After (default 1 s; cap 60 s). */
  defaultRetryAfterMs?: number;
  maxRetryAfterMs?: number;
  /** How long `stop()` waits for batches in flight before spooling them (default 5 s). */
  stopDeadlineMs?: number;
  fsync?: FsyncPolicy;
  http?: HttpClient;
  metrics?: Metrics;
  logger?: Logger;
}

export type ResolvedOffloaderOptions = Required<
  Omit<OffloaderOptions, 'http' | 'metrics' | 'logger' | 'tlsCaPem' | 'selfListen'>
> &
  Pick<OffloaderOptions, 'http' | 'metrics' | 'logger' | 'tlsCaPem' | 'selfListen'>;

export const OFFLOADER_DEFAULTS = {
  batchSize: 128,
  flushIntervalMs: 100,
  balance: 'round_robin',
  healthCheckIntervalMs: 5_000,
  spoolCapacityMiB: 1024,
  whenFull: 'block',
  timeoutMs: 30_000,
  maxInFlightPerReceiver: 4,
  deadLetterMaxBytes: 64 * 1024 * 1024,
  defaultRetryAfterMs: 1_000,
  maxRetryAfterMs: 60_000,
  stopDeadlineMs: 5_000,
} as const;

function invalid(msg: string): PlkError {
  return new PlkError('PLK_ERR_OFFLOAD_CONFIG', `offload: ${msg}`, { permanent: true });
}

export function resolveOptions(o: OffloaderOptions): ResolvedOffloaderOptions {
  const d = OFFLOADER_DEFAULTS;
  const r: ResolvedOffloaderOptions = {
    ...o,
    batchSize: o.batchSize ?? d.batchSize,
    flushIntervalMs: o.flushIntervalMs ?? d.flushIntervalMs,
    balance: o.balance ?? d.balance,
    affinityKeys: o.affinityKeys ?? [],
    healthCheckIntervalMs: o.healthCheckIntervalMs ?? d.healthCheckIntervalMs,
    spoolCapacityMiB: o.spoolCapacityMiB ?? d.spoolCapacityMiB,
    whenFull: o.whenFull ?? d.whenFull,
    token: o.token ?? '',
    tlsInsecureSkipVerify: o.tlsInsecureSkipVerify ?? false,
    timeoutMs: o.timeoutMs ?? d.timeoutMs,
    maxInFlightPerReceiver: o.maxInFlightPerReceiver ?? d.maxInFlightPerReceiver,
    deadLetterPath: o.deadLetterPath ?? `${o.spoolPath}-dead-letter.jsonl`,
    deadLetterMaxBytes: o.deadLetterMaxBytes ?? d.deadLetterMaxBytes,
    defaultRetryAfterMs: o.defaultRetryAfterMs ?? d.defaultRetryAfterMs,
    maxRetryAfterMs: o.maxRetryAfterMs ?? d.maxRetryAfterMs,
    stopDeadlineMs: o.stopDeadlineMs ?? d.stopDeadlineMs,
    fsync: o.fsync ?? 'interval',
  };
  if (r.addresses.length === 0) throw invalid('at least one receiver address is required');
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1)
    throw invalid('batch_size must be a positive integer');
  if (!(r.flushIntervalMs > 0)) throw invalid('flush_interval must be positive');
  if (!(r.healthCheckIntervalMs > 0)) throw invalid('health_check_interval must be positive');
  if (!(r.timeoutMs > 0)) throw invalid('timeout must be positive');
  if (!(r.spoolCapacityMiB > 0)) throw invalid('spool_capacity must be positive');
  if (!Number.isInteger(r.maxInFlightPerReceiver) || r.maxInFlightPerReceiver < 1)
    throw invalid('max in-flight batches per receiver must be a positive integer');
  if (r.balance === 'affinity' && r.affinityKeys.length === 0)
    throw invalid('balance = "affinity" needs affinity_keys');
  return r;
}

/** Options from the loaded configuration (reads the `tls_ca` file). */
export function offloaderOptionsFromConfig(
  cfg: OffloadConfig,
  extra: Pick<OffloaderOptions, 'selfListen' | 'http' | 'metrics' | 'logger' | 'fsync'> = {},
): OffloaderOptions {
  let tlsCaPem: string | undefined;
  if (cfg.tlsCa !== '') {
    try {
      tlsCaPem = readFileSync(cfg.tlsCa, 'utf8');
    } catch (e) {
      throw new PlkError(
        'PLK_ERR_OFFLOAD_CONFIG',
        `pipeline.offload.tls_ca: cannot read ${cfg.tlsCa}: ${(e as Error).message}`,
        { cause: e, permanent: true },
      );
    }
  }
  return {
    receiver: cfg.receiver,
    addresses: cfg.addresses,
    spoolPath: cfg.spoolPath,
    batchSize: cfg.batchSize,
    flushIntervalMs: cfg.flushIntervalMs,
    balance: cfg.balance,
    affinityKeys: cfg.affinityKeys,
    healthCheckIntervalMs: cfg.healthCheckIntervalMs,
    spoolCapacityMiB: cfg.spoolCapacityMiB,
    whenFull: cfg.whenFull,
    token: cfg.token,
    tlsCaPem,
    tlsInsecureSkipVerify: cfg.tlsInsecureSkipVerify,
    timeoutMs: cfg.timeoutMs,
    ...extra,
  };
}
