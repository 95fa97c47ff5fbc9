/**
 * The one HTTP client setup of plkit (DataWay uploads, offload, remote
 * pulls, reference tables, http_request): keep-alive undici pools, one per
 * origin, with bounded connections, request timeouts and a response size cap.
 *
 * Requests go through undici's low-level `dispatch` with a handler that
 * collects the answer, not through `request()`: no response stream, no URL
 * parsing per request (the URL → pool/path split is cached), one timer.
 * On the offload path this halves the CPU spent per request (measured
 * ~120 µs → ~60 µs for a 30 KB POST), which is a large share of what
 * offloading a point costs the agent.
 *
 * `transport: 'h1'` (the offloader's client) sends over plkit's own
 * keep-alive HTTP/1.1 connections instead (h1-pool.ts): the same requests,
 * timeouts, limits and errors, for less CPU per request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
import { type H1Call, H1Pool, type H1RequestError } from './h1-pool.js';
import { PlkError } from './plk-error.js';

export interface HttpClientOptions {
  /** Connections kept per origin. */
  connections?: number;
  /** Default whole-request timeout, ms. */
  timeoutMs?: number;
  /** TLS: extra CA (PEM) and whether to skip verification. */
  ca?: string;
  insecureSkipVerify?: boolean;
  /** `undici` (default) or plkit's lean HTTP/1.1 transport (`h1`). */
  transport?: 'undici' | 'h1';
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

interface Route {
  pool: Pool | null;
  h1: H1Pool | null;
  path: string;
  /** `Host` header value (h1). */
  host: string;
}

/** URLs remembered (offload targets, DataWay write URLs: a handful); beyond, the cache starts over. */
const MAX_ROUTES = 1024;

export class HttpClient {
  readonly #timeoutMs: number;
  readonly #poolOptions: Pool.Options;
  readonly #pools = new Map<string, Pool>();
  readonly #h1Pools = new Map<string, H1Pool>();
  readonly #transport: 'undici' | 'h1';
  readonly #connections: number;
  readonly #ca: string | undefined;
  readonly #insecure: boolean;
  readonly #routes = new Map<string, Route>();
  #closed = false;

  constructor(opts: HttpClientOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#transport = opts.transport ?? 'undici';
    this.#connections = opts.connections ?? 16;
    this.#ca = opts.ca;
    this.#insecure = opts.insecureSkipVerify === true;
    this.#poolOptions = {
      connections: opts.connections ?? 16,
      keepAliveTimeout: 30_000,
      connect: {
        timeout: Math.min(this.#timeoutMs, 10_000),
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
      },
    };
  }

  #route(url: string): Route {
    let r = this.#routes.get(url);
    if (r !== undefined) return r;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new PlkError('PLK_ERR_HTTP_TRANSPORT', `invalid URL ${JSON.stringify(redactUrl(url))}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new PlkError('PLK_ERR_HTTP_TRANSPORT', `${redactUrl(url)}: only http and https are supported`);
    }
    const path = `${u.pathname}${u.search}`;
    if (this.#transport === 'h1') {
      let h1 = this.#h1Pools.get(u.origin);
      if (h1 === undefined) {
        h1 = new H1Pool({
          protocol: u.protocol as 'http:' | 'https:',
          hostname: u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname,
          port: u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
          connectTimeoutMs: Math.min(this.#timeoutMs, 10_000),
          // Below the idle timeouts servers commonly use (Node 5 s), so a reuse does not race their close.
          idleMs: 4_000,
          maxIdle: this.#connections,
          ...(this.#ca !== undefined ? { ca: this.#ca } : {}),
          ...(this.#insecure ? { rejectUnauthorized: false } : {}),
        });
        this.#h1Pools.set(u.origin, h1);
      }
      r = { pool: null, h1, path, host: u.host };
    } else {
      let pool = this.#pools.get(u.origin);
      if (pool === undefined) {
        pool = new Pool(u.origin, this.#poolOptions);
        this.#pools.set(u.origin, pool);
      }
      r = { pool, h1: null, path, host: u.host };
    }
    if (this.#routes.size >= MAX_ROUTES) this.#routes.clear();
    this.#routes.set(url, r);
    return r;
  }

  /**
   * Send a request. Transport failures (refused, reset, timeout, abort)
   * reject with a PlkError `PLK_ERR_HTTP_TRANSPORT`; any HTTP status is returned.
   */
  send(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    if (this.#closed) {
      return Promise.reject(
        new PlkError('PLK_ERR_HTTP_TRANSPORT', `${method} ${redactUrl(req.url)}: client closed`),
      );
    }
    let route: Route;
    try {
      route = this.#route(req.url);
    } catch (e) {
      return Promise.reject(e);
    }
    const timeout = req.timeoutMs ?? this.#timeoutMs;
    const max = req.maxResponseBytes ?? 16 * 1024 * 1024;
    if (route.h1 !== null) return this.#sendH1(route.h1, route, method, req, timeout, max);
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let controller: Dispatcher.DispatchController | null = null;
      /** Why we gave up before undici handed us its controller; applied when it does. */
      let pendingAbort: Error | null = null;
      let status = 0;
      let headers: IncomingHttpHeaders = {};
      let chunks: Buffer[] = [];
      let size = 0;
      const signal = req.signal;
      let unlisten = noop;

      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        unlisten();
      };
      const fail = (reason: string, cause?: unknown, code = 'PLK_ERR_HTTP_TRANSPORT'): void => {
        if (settled) return;
        finish();
        reject(new PlkError(code, `${method} ${redactUrl(req.url)}: ${reason}`, { cause }));
      };
      const giveUp = (err: Error): void => {
        if (settled) return;
        fail(err.message, err);
        if (controller !== null) controller.abort(err);
        else pendingAbort = err;
      };
      const onAbort = (): void => {
        const r = signal?.reason;
        giveUp(r instanceof Error ? r : new Error(String(r ?? 'aborted')));
      };
      const timer = setTimeout(() => giveUp(new Error(`timed out after ${timeout} ms`)), timeout);
      if (signal?.aborted) {
        onAbort();
        return;
      }
      if (signal !== undefined) unlisten = onAbortOf(signal, onAbort);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (pendingAbort !== null) c.abort(pendingAbort);
        },
        onResponseStart(c, statusCode, h) {
          // 1xx answers are informational: the real one follows.
          if (statusCode < 200) return;
          status = statusCode;
          headers = h;
          chunks = [];
          size = 0;
          if (settled) c.abort(new Error('request abandoned'));
        },
        onResponseData(c, chunk) {
          if (settled) return;
          size += chunk.length;
          if (size > max) {
            fail(`response larger than ${max} bytes`, undefined, 'PLK_ERR_HTTP_RESPONSE_TOO_LARGE');
            c.abort(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          finish();
          resolve({
            status,
            headers: headers as Record<string, string | string[] | undefined>,
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
          });
        },
        onResponseError(_c, err) {
          fail(err.message, err);
        },
      };
      try {
        route.pool!.dispatch(
          {
            path: route.path,
            method,
            headers: req.headers,
            body: req.body ?? null,
            headersTimeout: timeout,
            bodyTimeout: timeout,
          },
          handler,
        );
      } catch (e) {
        fail((e as Error).message, e);
      }
    });
  }

  #sendH1(
    pool: H1Pool,
    route: Route,
    method: string,
    req: HttpRequest,
    timeout: number,
    max: number,
  ): Promise<HttpResponse> {
    let head: string;
    let body: Uint8Array | null;
    try {
      body = req.body === undefined ? null : typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      head = requestHead(method, route, req.headers, body);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let call: H1Call | null = null;
      const signal = req.signal;
      let unlisten = noop;
      const fail = (reason: string, cause?: unknown, code = 'PLK_ERR_HTTP_TRANSPORT'): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unlisten();
        call?.abort();
        reject(new PlkError(code, `${method} ${redactUrl(req.url)}: ${reason}`, { cause }));
      };
      const onAbort = (): void => {
        const r = signal?.reason;
        fail(r instanceof Error ? r.message : String(r ?? 'aborted'), r);
      };
      const done = (err: H1RequestError | null, answer: HttpResponse | null): void => {
        if (settled) return;
        if (err !== null) {
          fail(err.message, err.cause ?? err, err.tooLarge ? 'PLK_ERR_HTTP_RESPONSE_TOO_LARGE' : undefined);
          return;
        }
        settled = true;
        clearTimeout(timer);
        unlisten();
        resolve(answer!);
      };
      if (signal?.aborted) {
        settled = true;
        const r = signal.reason;
        reject(
          new PlkError(
            'PLK_ERR_HTTP_TRANSPORT',
            `${method} ${redactUrl(req.url)}: ${r instanceof Error ? r.message : String(r ?? 'aborted')}`,
            { cause: r },
          ),
        );
        return;
      }
      const timer = setTimeout(() => fail(`timed out after ${timeout} ms`), timeout);
      if (signal !== undefined) unlisten = onAbortOf(signal, onAbort);
      call = pool.request(head, body, max, method === 'HEAD', done);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#h1Pools.values()) p.close();
    this.#h1Pools.clear();
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#routes.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }
}

const noop = (): void => {};

/**
 * Requests waiting on each signal. A signal gets one 'abort' listener,
 * whatever the number of requests: adding and removing an EventTarget
 * listener per request cost the offloader ~2 µs a batch (every batch
 * listens on its stop signal), a Set ~0.1.
 */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `fn` when `signal` aborts (it has not yet); returns what stops that. */
function onAbortOf(signal: AbortSignal, fn: () => void): () => void {
  let set = abortWaiters.get(signal);
  if (set === undefined) {
    const waiters = new Set<() => void>();
    abortWaiters.set(signal, waiters);
    signal.addEventListener(
      'abort',
      () => {
        abortWaiters.delete(signal);
        for (const w of [...waiters]) w();
      },
      { once: true },
    );
    set = waiters;
  }
  set.add(fn);
  return () => {
    set.delete(fn);
  };
}

/**
 * The request line and headers for the h1 transport, closed by the empty
 * line. A header that would break the framing (CR, LF or NUL in it, an
 * invalid name) is refused here, as undici refuses it.
 */
function requestHead(
  method: string,
  route: Route,
  headers: Record<string, string> | undefined,
  body: Uint8Array | null,
): string {
  let head = `${method} ${route.path} HTTP/1.1\r\n`;
  let host = false;
  if (headers !== undefined) {
    for (const k in headers) {
      const v = headers[k]!;
      if (!HEADER_NAME.test(k) || BAD_VALUE.test(v)) {
        throw new PlkError('PLK_ERR_HTTP_TRANSPORT', `invalid request header ${JSON.stringify(k)}`);
      }
      const lower = k.toLowerCase();
      if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
      if (lower === 'host') host = true;
      head += `${k}: ${v}\r\n`;
    }
  }
  if (!host) head += `Host: ${route.host}\r\n`;
  if (body !== null) head += `Content-Length: ${body.length}\r\n`;
  else if (method === 'POST' || method === 'PUT') head += 'Content-Length: 0\r\n';
  return `${head}\r\n`;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Latin-1 only (the head is written as Latin-1), no CR, LF or NUL.
const BAD_VALUE = /[\r\n\0]|[^\x00-\xff]/;

/** A URL with its token query parameter masked, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)([^&]{0,4})[^&]*/g, '$1$2…');
}
