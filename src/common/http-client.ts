/**
 * The one HTTP client setup of plkit (DataWay uploads, offload, remote
 * pulls, reference tables, http_request): a keep-alive undici Agent with
 * bounded connections per origin, request timeouts and a response size cap.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { PlkError } from './plk-error.js';

export interface HttpClientOptions {
  /** Connections kept per origin. */
  connections?: number;
  /** Default whole-request timeout, ms. */
  timeoutMs?: number;
  /** TLS: extra CA (PEM) and whether to skip verification. */
  ca?: string;
  insecureSkipVerify?: boolean;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  timeoutMs?: number;
  /** Largest response body read; beyond it the request fails. Default 16 MiB. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class HttpClient {
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(opts: HttpClientOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#agent = new Agent({
      connections: opts.connections ?? 16,
      keepAliveTimeout: 30_000,
      connect: {
        timeout: Math.min(this.#timeoutMs, 10_000),
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
      },
    });
  }

  get dispatcher(): Dispatcher {
    return this.#agent;
  }

  /**
   * Send a request. Transport failures (refused, reset, timeout) throw a
   * PlkError `PLK_ERR_HTTP_TRANSPORT`; any HTTP status is returned.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const timeout = req.timeoutMs ?? this.#timeoutMs;
    const max = req.maxResponseBytes ?? 16 * 1024 * 1024;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error(`timed out after ${timeout} ms`)), timeout);
    const onAbort = () => ac.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await request(req.url, {
        method: req.method ?? 'GET',
        headers: req.headers,
        body: req.body,
        dispatcher: this.#agent,
        signal: ac.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of res.body) {
        size += (c as Buffer).length;
        if (size > max) {
          res.body.destroy();
          throw new PlkError(
            'PLK_ERR_HTTP_RESPONSE_TOO_LARGE',
            `${req.url}: response larger than ${max} bytes`,
          );
        }
        chunks.push(c as Buffer);
      }
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks, size) };
    } catch (e) {
      if (e instanceof PlkError) throw e;
      const reason = ac.signal.aborted
        ? String((ac.signal.reason as Error)?.message ?? ac.signal.reason)
        : (e as Error).message;
      throw new PlkError(
        'PLK_ERR_HTTP_TRANSPORT',
        `${req.method ?? 'GET'} ${redactUrl(req.url)}: ${reason}`,
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** A URL with its token query parameter masked, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)([^&]{0,4})[^&]*/g, '$1$2…');
}
