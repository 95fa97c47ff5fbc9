/** DataKit's `datakit_io_dataway_*` metrics, plus plkit's WAL gauges. */
import type { Metrics } from '../common/metrics.js';

export function datawayMetrics(m: Metrics) {
  return {
    points: m.counter(
      'datakit_io_dataway_point_total',
      'Dataway uploaded points, partitioned by category and send status(HTTP status)',
      ['category', 'status'],
    ),
    bytes: m.counter(
      'datakit_io_dataway_point_bytes_total',
      'Dataway uploaded points bytes, partitioned by category and send status(HTTP status)',
      ['category', 'enc', 'status'],
    ),
    latency: m.summary(
      'datakit_io_dataway_api_latency_seconds',
      'Dataway HTTP request latency partitioned by HTTP API(method@url) and HTTP status',
      ['api', 'status'],
    ),
    retries: m.counter('datakit_io_dataway_http_retry_total', 'Dataway HTTP retried count', [
      'category',
      'status',
    ]),
    rejected: m.counter(
      'plkit_dataway_rejected_point_total',
      'Points DataWay refused with a 4xx answer and that were dropped',
      ['category'],
    ),
    walPoints: m.counter('plkit_dataway_wal_point_total', 'Points written to the DataWay WAL', ['category']),
    walBytes: m.gauge('plkit_dataway_wal_bytes', 'Bytes held in the DataWay WAL', ['category', 'endpoint']),
    walDropped: m.counter(
      'plkit_dataway_wal_dropped_record_total',
      'WAL records dropped because the WAL was full or damaged',
      ['category', 'reason'],
    ),
  };
}

export type DatawayMetrics = ReturnType<typeof datawayMetrics>;
