/**
 * The first-line patterns of automatic multiline detection, as DataKit
 * ships them (Go RE2 syntax, all anchored with `^`). DataKit groups them by
 * the first byte of a line, so a line only meets the patterns that could
 * match it: digits, ASCII letters, anything else. A line starting with a
 * space or a tab meets none of them (only the user's extra patterns),
 * because such lines are nearly always stack-trace continuations.
 *
 * These tables are data: keep them identical to DataKit's so both agents
 * cut the same log into the same entries.
 */

const LEVEL = 'TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRITICAL|CRIT|FATAL|PANIC';
const HTTPDATE_ACCESS = `^[0-9A-Fa-f:.]+ [^ ]+ [^ ]+ \\[\\d{1,2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\]`;
const LEVEL_FIRST_DATE = `^\\[?(${LEVEL})\\]?[: ]+\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}`;

/** Lines whose first byte is `0-9`. */
export const DIGIT_PATTERNS: readonly string[] = [
  // RFC3339
  '^\\d+-\\d+-\\d+T\\d+:\\d+:\\d+(\\.\\d+)?(Z\\d*:?\\d*)?',
  // RFC822, RFC822Z
  '^\\d+ [A-Za-z_]+ \\d+ \\d+:\\d+ [A-Za-z_]+',
  '^\\d+ [A-Za-z_]+ \\d+ \\d+:\\d+ -\\d+',
  // RFC3339Nano
  '^\\d+-\\d+-\\d+[A-Za-z_]+\\d+:\\d+:\\d+\\.\\d+[A-Za-z_]+\\d+:\\d+',
  // 2021-07-08 05:08:19,214
  '^\\d+-\\d+-\\d+ \\d+:\\d+:\\d+(,\\d+)?',
  // 2021-07-08 05:08:19.214 (log4j, postgresql, rabbitmq, jenkins)
  '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2}:\\d{2}\\.\\d+([ \\t]+[A-Z]{2,5})?',
  // 2021-07-08,05:08:19.214
  '^\\d{4}-\\d{2}-\\d{2},\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?',
  // 2021.07.08 05:08:19
  '^\\d{4}\\.\\d{1,2}\\.\\d{1,2}[ T]\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?',
  // 210708 05:08:19
  '^\\d{6} +\\d{2}:\\d{2}:\\d{2}',
  // 10/Oct/2000:13:55:36 -0700
  '^\\d{1,2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}',
  // 2024/07/08 05:08:19 (nginx error log)
  '^\\d{4}/\\d{1,2}/\\d{1,2}[ T-]\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?',
  // 6/25/2024 2:30:15 PM
  '^\\d{1,2}[/-]\\d{1,2}[/-]\\d{2,4}[ T]\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?( (AM|PM))?',
  // 02-Jan-2006 15:04:05.123 (Tomcat, Oracle)
  '^\\d{1,2}-[A-Za-z]{3}-\\d{4} \\d{2}:\\d{2}:\\d{2}([,.]\\d+)?',
  // 20240708 050819, 20240708T05:08:19
  '^\\d{8}[ T]\\d{2}:?\\d{2}:?\\d{2}([,.]\\d+)?',
  // time of day followed by a level
  `^\\d{2}:\\d{2}:\\d{2}([,.]\\d+)?[ \\t]+(${LEVEL})\\b`,
  // Unix epoch seconds or milliseconds followed by a level
  `^\\d{10,13}([,.]\\d+)?[ \\t]+(${LEVEL})\\b`,
  // access log: client, ident, auth, [HTTPDATE]
  HTTPDATE_ACCESS,
  // Android logcat
  '^\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +\\d+ +\\d+ [VDIWEF]/',
  // 2021-01-31 with real month/day ranges
  '^\\d{4}-(0?[1-9]|1[012])-(0?[1-9]|[12][0-9]|3[01])',
  // MongoDB text log
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?[+-]\\d{4}[ \\t]+[A-Z][ \\t]+',
  // Redis server log
  '^\\d+:[A-Z] \\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d+',
];

/** Lines whose first byte is `A-Z` or `a-z`. */
export const LETTER_PATTERNS: readonly string[] = [
  // ANSIC, RubyDate, UnixDate
  '^[A-Za-z_]+ [A-Za-z_]+ +\\d+ \\d+:\\d+:\\d+ \\d+',
  '^[A-Za-z_]+ [A-Za-z_]+ \\d+ \\d+:\\d+:\\d+ [\\-\\+]\\d+ \\d+',
  '^[A-Za-z_]+ [A-Za-z_]+ +\\d+ \\d+:\\d+:\\d+( [A-Za-z_]+ \\d+)?',
  // RFC850, RFC1123, RFC1123Z
  '^[A-Za-z_]+, \\d+-[A-Za-z_]+-\\d+ \\d+:\\d+:\\d+ [A-Za-z_]+',
  '^[A-Za-z_]+, \\d+ [A-Za-z_]+ \\d+ \\d+:\\d+:\\d+ [A-Za-z_]+',
  '^[A-Za-z_]+, \\d+ [A-Za-z_]+ \\d+ \\d+:\\d+:\\d+ -\\d+',
  // syslog (RFC3164), with and without fractional seconds
  '^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d{1,2} \\d{2}:\\d{2}:\\d{2}[ \\t]',
  '^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d{1,2} \\d{2}:\\d{2}:\\d{2}\\.\\d+[ \\t]',
  // access log whose client field starts with a hex letter
  HTTPDATE_ACCESS,
  // klog / glog
  '^[IWEF]\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} +\\d+ ',
  // logfmt
  `^(time|ts|timestamp)=["']?\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:?\\d{2}:?\\d{2}`,
  '^level=(trace|debug|info|notice|warn|warning|error|fatal|panic)[ \\t]+(time|ts|timestamp)=',
  '^(level|severity)=(trace|debug|info|notice|warn|warning|error|fatal|panic)\\b',
  // level first
  LEVEL_FIRST_DATE,
  `^(${LEVEL})[ \\t]+(\\[|\\(|[A-Za-z0-9_.-]+[: -])`,
  `^(${LEVEL})[ \\t]*\\|`,
  // Python logging default
  '^(DEBUG|INFO|WARNING|ERROR|CRITICAL):[A-Za-z0-9_.-]+:',
  // java.util.logging SimpleFormatter
  '^[A-Za-z_]+ \\d+, \\d+ \\d+:\\d+:\\d+ (AM|PM)',
  // Ruby Logger
  '^[A-Z], \\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?',
  // Go panics, Java/.NET exception roots, AWS Lambda markers
  '^(panic:|fatal error:)',
  '^Exception in thread "[^"]+" ',
  '^([A-Za-z_$][A-Za-z0-9_$]*\\.)+[A-Za-z_$][A-Za-z0-9_$]*(Exception|Error)(:|$)',
  '^(START|END|REPORT) RequestId:',
];

/** Lines whose first byte is anything else (`[`, `(`, `<`, `#`, `=`, `{`, non-ASCII, ...). */
export const SYMBOL_PATTERNS: readonly string[] = [
  // bracketed timestamps and dates
  '^\\[\\d{4}-\\d{2}-\\d{2}[T ]\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?(Z|[+-]\\d{2}:?\\d{2})?\\]',
  '^\\[\\d{4}-\\d{2}-\\d{2}\\]([ \\t]|$)',
  '^\\(\\d{4}-\\d{2}-\\d{2}[T ]\\d{1,2}:\\d{2}:\\d{2}([,.]\\d+)?(Z|[+-]\\d{2}:?\\d{2})?\\)',
  '^\\[[^]\\s]+-\\d{4}\\.\\d{2}\\.\\d{2}\\]',
  '^\\[\\d{1,2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\]',
  '^\\[\\d{1,2}-[A-Za-z]{3}-\\d{4} \\d{2}:\\d{2}:\\d{2}([,.]\\d+)?\\]',
  '^\\[\\d{2}:\\d{2}:\\d{2}([,.]\\d+)?\\][ \\t]+',
  // syslog priority
  '^<\\d{1,5}>(1 )?',
  // Apache error log
  '^\\[[A-Za-z]{3} [A-Za-z]{3} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)? \\d{4}\\]',
  // access log (IPv6 client starting with ':')
  HTTPDATE_ACCESS,
  // kernel ring buffer
  '^\\[\\s*\\d+\\.\\d+\\]',
  // bracketed levels
  LEVEL_FIRST_DATE,
  `^\\[(${LEVEL})\\][ \\t]+`,
  `^\\((${LEVEL})\\)[ \\t]+`,
  '^\\[[TDIWEF]\\][ \\t]+',
  // gin
  '^\\[GIN\\] \\d+/\\d+/\\d+ - \\d+:\\d+:\\d+',
  // RabbitMQ / Erlang reports
  '^=(INFO|ERROR|WARNING|DEBUG|CRASH|SUPERVISOR) REPORT====',
  // MySQL slow log
  '^# Time: \\d{4}',
  // a JSON object or array
  '^\\s*(\\{|\\[\\s*[\\{"])',
];
