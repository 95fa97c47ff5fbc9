/**
 * Log status normalisation shared by intake and the pipeline: lower-case,
 * then map DataKit's aliases; unknown values are kept (lower-cased).
 */
// A prototype-less map: `constructor` or `__proto__` must not find Object's members.
const STATUS_MAP: Readonly<Record<string, string>> = Object.assign(
  Object.create(null) as Record<string, string>,
  {
    f: 'emerg',
    emerg: 'emerg',
    a: 'alert',
    alert: 'alert',
    c: 'critical',
    critical: 'critical',
    e: 'error',
    error: 'error',
    w: 'warning',
    warn: 'warning',
    warning: 'warning',
    n: 'notice',
    notice: 'notice',
    i: 'info',
    info: 'info',
    d: 'debug',
    trace: 'debug',
    verbose: 'debug',
    debug: 'debug',
    o: 'OK',
    s: 'OK',
    ok: 'OK',
  },
);

export function normalizeStatus(status: string): string {
  if (status === '') return 'unknown';
  const lower = status.toLowerCase();
  return STATUS_MAP[lower] ?? lower;
}
