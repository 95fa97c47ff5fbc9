/** DataKit's `datakit_tailer_*` metrics the logging input keeps, plus plkit's per-road point counter. */
import type { Metrics } from '../../common/metrics.js';

export function loggingMetrics(m: Metrics) {
  return {
    openFiles: m.gauge('datakit_tailer_open_files', 'Log files the logging input has open', [
      'source',
      'max',
    ]),
    rotations: m.counter('datakit_tailer_file_rotate_total', 'Log files found replaced under their path', [
      'source',
      'filepath',
    ]),
    parseFails: m.counter(
      'datakit_tailer_parse_fail_total',
      'Container log lines (mode docker or cri) that did not unwrap and were dropped',
      ['source', 'filepath', 'mode'],
    ),
    discarded: m.counter(
      'datakit_tailer_discard_log_total',
      'Log messages dropped because field_white_list left only the message',
      ['source', 'filepath'],
    ),
    socketConnects: m.counter(
      'datakit_tailer_socket_connect_status_total',
      'Connections accepted by the logging input sockets',
      ['network', 'status'],
    ),
    socketFeeds: m.counter(
      'datakit_tailer_socket_feed_message_count_total',
      'Reads (TCP) and datagrams (UDP) taken by the logging input sockets',
      ['network'],
    ),
    socketDropped: m.counter(
      'plkit_tailer_socket_dropped_datagram_total',
      'UDP datagrams dropped because the delivery backlog was full',
      ['network'],
    ),
    readErrors: m.counter('plkit_tailer_read_error_total', 'Reads of a log file that failed', ['source']),
    points: m.counter(
      'plkit_input_logging_point_total',
      'Logging points delivered downstream, by road (feed: through the pipeline stage; offload-direct: encoded straight for the offload fleet)',
      ['source', 'road'],
    ),
  };
}

export type LoggingMetrics = ReturnType<typeof loggingMetrics>;
