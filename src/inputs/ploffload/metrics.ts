/** DataKit's `datakit_input_ploffload_*` metrics, plus plkit's dedupe and disk-cache counters. */
import type { Metrics } from '../../common/metrics.js';

export function ploffloadMetrics(m: Metrics) {
  return {
    points: m.counter('datakit_input_ploffload_point_total', 'ploffload processed total points', [
      'category',
    ]),
    chanUsage: m.gauge('datakit_input_ploffload_chan_usage', 'ploffload channel usage', ['channel_name']),
    chanCapacity: m.gauge('datakit_input_ploffload_chan_capacity', 'ploffload channel capacity', [
      'channel_name',
    ]),
    duplicates: m.counter(
      'plkit_input_ploffload_duplicate_batch_total',
      'Batches acknowledged without processing because their batch id was already accepted',
      ['category'],
    ),
    refused: m.counter('plkit_input_ploffload_refused_request_total', 'Requests answered with an error', [
      'category',
      'code',
    ]),
    cacheDropped: m.counter(
      'plkit_input_ploffload_cache_dropped_total',
      'Disk-cache records that could not be processed (damaged or undecodable)',
      ['reason'],
    ),
  };
}

export type PloffloadMetrics = ReturnType<typeof ploffloadMetrics>;
