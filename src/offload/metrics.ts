/**
 * Offload metrics: DataKit's three (same names and labels, so existing
 * dashboards work) and plkit's per-receiver and spool ones.
 *
 * Counting rules (honest counters): a batch counts once, when it is
 * settled — `datakit_pipeline_offload_point_total` and
 * `plkit_offload_sent_points_total` on the receiver that answered 2xx,
 * however many attempts it took; failures of single attempts are counted
 * apart (`plkit_offload_request_failures_total`), never as lost points.
 * `datakit_pipeline_offload_error_point_total` counts points that were not
 * delivered: dead-lettered (remote = the refusing receiver) or dropped
 * from a full spool (remote = "spool"). As in DataKit, point_total
 * includes the error points.
 *
 * Hot path: every delivered batch touches several metrics, so each
 * receiver gets its label children bound once (`receiverMeters`): no label
 * hashing per batch. The per-request latency is a histogram (bucket
 * increments), not a summary (five t-digests per observation).
 */
import type { Metrics } from '../common/metrics.js';

/** Request latency buckets, seconds: loopback answers to a processor past its timeout. */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function offloadMetrics(m: Metrics) {
  const rl = ['remote'] as const;
  return {
    points: m.counter('datakit_pipeline_offload_point_total', 'Pieline offload processed total points', [
      'category',
      'exporter',
      'remote',
    ]),
    errorPoints: m.counter(
      'datakit_pipeline_offload_error_point_total',
      'Pipeline offload processed total error points',
      ['category', 'exporter', 'remote'],
    ),
    cost: m.summary('datakit_pipeline_offload_cost_seconds', 'Pipeline offload total cost', [
      'category',
      'exporter',
      'remote',
    ]),
    sentPoints: m.counter('plkit_offload_sent_points_total', 'Points delivered (2xx) per receiver', rl),
    sentBatches: m.counter('plkit_offload_sent_batches_total', 'Batches delivered (2xx) per receiver', rl),
    failures: m.counter(
      'plkit_offload_request_failures_total',
      'Requests that failed (transport error, timeout, 5xx, misconfigured receiver); the batch moved on',
      ['remote', 'reason'],
    ),
    throttled: m.counter(
      'plkit_offload_throttled_total',
      'Requests answered 429/503: the receiver was backed off for Retry-After (not a failure)',
      rl,
    ),
    retried: m.counter(
      'plkit_offload_retried_batches_total',
      'Batch attempts after an earlier attempt of the same batch, by the receiver tried',
      rl,
    ),
    rerouted: m.counter(
      'plkit_offload_rerouted_batches_total',
      'Batches moved away from a receiver after it failed or throttled',
      rl,
    ),
    split: m.counter('plkit_offload_split_batches_total', 'Batches split in halves after a 413', rl),
    deadLettered: m.counter(
      'plkit_offload_dead_letter_points_total',
      'Points refused for good and written to the dead-letter file',
      ['remote', 'reason'],
    ),
    inFlight: m.gauge('plkit_offload_in_flight_batches', 'Batches in flight per receiver', rl),
    healthy: m.gauge('plkit_offload_receiver_healthy', '1 when the receiver is healthy, 0 when ejected', rl),
    latency: m.histogram(
      'plkit_offload_request_seconds',
      'Offload request latency per receiver',
      ['remote', 'status'],
      LATENCY_BUCKETS,
    ),
    spoolBytes: m.gauge('plkit_offload_spool_bytes', 'Bytes held in the offload spool'),
    spoolBatches: m.gauge('plkit_offload_spool_batches', 'Batches held in the offload spool'),
    spooled: m.counter('plkit_offload_spooled_points_total', 'Points written to the offload spool'),
    spoolDropped: m.counter(
      'plkit_offload_spool_dropped_total',
      'Spool records (batches) dropped: full spool under drop_oldest, or damaged',
      ['reason'],
    ),
  };
}

export type OffloadMetrics = ReturnType<typeof offloadMetrics>;

type Bound<T extends { labels: (...a: never[]) => unknown }> = ReturnType<T['labels']>;

/** One receiver's metrics with their labels bound, for the per-batch path. */
export interface ReceiverMeters {
  /** DataKit's point counter (category, exporter, remote). */
  points: Bound<OffloadMetrics['points']>;
  cost: Bound<OffloadMetrics['cost']>;
  sentPoints: Bound<OffloadMetrics['sentPoints']>;
  sentBatches: Bound<OffloadMetrics['sentBatches']>;
  retried: Bound<OffloadMetrics['retried']>;
  inFlight: Bound<OffloadMetrics['inFlight']>;
  /** Latency by answer status, bound on first use. */
  latency: (status: string) => Bound<OffloadMetrics['latency']>;
}

export function receiverMeters(
  m: OffloadMetrics,
  category: string,
  exporter: string,
  remote: string,
): ReceiverMeters {
  const dk = { category, exporter, remote };
  const r = { remote };
  const byStatus = new Map<string, Bound<OffloadMetrics['latency']>>();
  return {
    points: m.points.labels(dk),
    cost: m.cost.labels(dk),
    sentPoints: m.sentPoints.labels(r),
    sentBatches: m.sentBatches.labels(r),
    retried: m.retried.labels(r),
    inFlight: m.inFlight.labels(r),
    latency: (status) => {
      let h = byStatus.get(status);
      if (h === undefined) byStatus.set(status, (h = m.latency.labels({ remote, status })));
      return h;
    },
  };
}
