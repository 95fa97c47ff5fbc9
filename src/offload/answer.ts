/**
 * What a receiver's answer means for a batch. DataKit drops a batch on any
 * 4xx and retries 5xx against the same address; plkit sorts answers by
 * whose fault they are:
 *
 * | answer                                 | kind        | what happens                       |
 * |----------------------------------------|-------------|------------------------------------|
 * | 2xx                                    | `ok`        | delivered                          |
 * | 429, 503                               | `throttled` | back off that receiver for Retry-After, send elsewhere; not a failure |
 * | 413, or a 4xx saying "too large"       | `too_large` | split in halves; one point → dead letter |
 * | 408, 5xx; 401/403/404/405              | `failed`    | eject the receiver, send elsewhere (the receiver is broken or misconfigured — e.g. a DataKit without the ploffload input answers 404 — not the data) |
 * | other 4xx (400, 422, …)                | `rejected`  | the data itself is refused: dead letter, counted |
 * | transport error / timeout              | `failed`    | eject, send elsewhere              |
 */

export type Answer =
  | { kind: 'ok'; status: number }
  | { kind: 'throttled'; status: number; retryAfter: string | undefined }
  | { kind: 'too_large'; status: number; message: string }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'failed'; status: number; reason: string; message: string };

const TOO_LARGE = /too large|too big|entity too large/i;

/** What a receiver answered. `headers` is read only for a throttling answer (h1-pool builds them on read). */
export interface ReceiverAnswer {
  status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export function classifyAnswer(res: ReceiverAnswer): Answer {
  const { status, body } = res;
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  const message = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 512)).toString('utf8');
  if (status === 429 || status === 503) {
    const ra = res.headers['retry-after'];
    return { kind: 'throttled', status, retryAfter: Array.isArray(ra) ? ra[0] : ra };
  }
  const clientError = status >= 400 && status < 500;
  if (status === 413 || (clientError && TOO_LARGE.test(message)))
    return { kind: 'too_large', status, message };
  if (status === 401 || status === 403 || status === 404 || status === 405) {
    return { kind: 'failed', status, reason: 'misconfigured', message };
  }
  if (clientError && status !== 408) return { kind: 'rejected', status, message };
  return { kind: 'failed', status, reason: status === 408 ? 'timeout' : `http_${status}`, message };
}
