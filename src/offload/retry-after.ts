/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. A
 * missing or unreadable value gets `fallbackMs`; the result is clamped so
 * one receiver cannot park itself for hours.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  fallbackMs: number,
  maxMs: number,
  now = Date.now(),
): number {
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  let ms = fallbackMs;
  if (v !== undefined && v !== '') {
    if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
    else if (/^[A-Za-z]{3}, /.test(v)) {
      const at = Date.parse(v);
      if (!Number.isNaN(at)) ms = at - now;
    }
  }
  if (ms < 0) ms = 0;
  return Math.min(ms, maxMs);
}
