/**
 * The agent's HTTP API server (default `localhost:9529`): one node:http
 * server, a route table other components add to, and the cross-cutting
 * rules applied before any route runs — `public_apis`, optional tokens,
 * per-client rate limit — plus `/v1/ping` and `/metrics`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { type Logger, silentLogger } from '../common/logger.js';
import { Metrics } from '../common/metrics.js';
import { ApiError } from './api-error.js';
import { isLoopback, sendError, sendJson } from './http-util.js';
import { RateLimiter } from './rate-limit.js';
import { type Handler, Router } from './router.js';

export interface ApiServerOptions {
  /** `host:port`; port 0 picks a free port. */
  listen: string;
  /** When non-empty, non-loopback clients reach only these APIs (patterns or paths). */
  publicApis?: readonly string[];
  /** Requests per second per client; 0 or less disables the limit. */
  requestRateLimit?: number;
  /** When non-empty, requests must carry one of these tokens (not DataKit's; off by default). */
  tokens?: readonly string[];
  timeoutMs?: number;
  version?: string;
  metrics?: Metrics;
  logger?: Logger;
}

const ALWAYS_PUBLIC = ['/v1/ping', '/v1/ntp', '/v1/write/:category'];

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(listen.trim());
  if (m === null) throw new Error(`listen address ${JSON.stringify(listen)}: expected host:port`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`listen address ${JSON.stringify(listen)}: port out of range`);
  return { host: m[1] === '' ? '0.0.0.0' : m[1]!, port };
}

export class ApiServer {
  readonly router = new Router();
  readonly #opts: ApiServerOptions;
  readonly #metrics: Metrics;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #public: Set<string>;
  readonly #tokens: Set<string>;
  readonly #startedAt = Date.now();
  readonly #apiTotal;
  readonly #apiElapsed;
  #server: Server | null = null;

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    this.#metrics = opts.metrics ?? new Metrics();
    this.#log = opts.logger ?? silentLogger();
    this.#limiter = new RateLimiter(opts.requestRateLimit ?? 0);
    this.#public = new Set([...(opts.publicApis ?? []), ...ALWAYS_PUBLIC]);
    this.#tokens = new Set(opts.tokens ?? []);
    this.#apiTotal = this.#metrics.counter('datakit_http_api_total', 'API request counter', [
      'api',
      'method',
      'status',
    ]);
    this.#apiElapsed = this.#metrics.summary('datakit_http_api_elapsed_seconds', 'API request cost', [
      'api',
      'method',
      'status',
    ]);
    this.router.add('GET', '/v1/ping', ({ res }) => {
      sendJson(res, 200, {
        content: {
          version: opts.version ?? '0.0.0',
          uptime: `${Math.round((Date.now() - this.#startedAt) / 1000)}s`,
          host: hostname(),
          commit: 'plkit',
        },
      });
    });
    this.router.add('GET', '/metrics', async ({ res }) => {
      const text = await this.#metrics.text();
      res.writeHead(200, { 'Content-Type': this.#metrics.contentType });
      res.end(text);
    });
  }

  get metrics(): Metrics {
    return this.#metrics;
  }

  route(method: string, pattern: string, handler: Handler): this {
    this.router.add(method, pattern, handler);
    return this;
  }

  async start(): Promise<{ url: string; port: number }> {
    const { host, port } = parseListen(this.#opts.listen);
    const server = createServer((req, res) => {
      void this.#handle(req, res);
    });
    server.requestTimeout = this.#opts.timeoutMs ?? 30_000;
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const addr = server.address() as AddressInfo;
    const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return { url: `http://${h}:${addr.port}`, port: addr.port };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let api = path;
    try {
      const m = this.router.match(method, path);
      if (m === null) throw new ApiError(404, 'notFound', `no API ${method} ${path}`);
      if (m === 'method') throw new ApiError(405, 'methodNotAllowed', `${method} not allowed on ${path}`);
      api = m.route.pattern;
      const remote = req.socket.remoteAddress ?? '';
      if (!isLoopback(remote) && this.#opts.publicApis && this.#opts.publicApis.length > 0) {
        if (!this.#public.has(api) && !this.#public.has(path)) {
          throw new ApiError(403, 'publicAccessDisabled', `API ${path} is not public`);
        }
      }
      if (this.#tokens.size > 0 && api !== '/v1/ping' && !this.#tokens.has(tokenOf(req, url.searchParams))) {
        throw new ApiError(403, 'invalidToken', 'missing or invalid token');
      }
      const allowed = this.#limiter.take(remote);
      if (allowed !== true) {
        throw new ApiError(429, 'reachMaxAPILimit', 'request rate limit reached', {
          headers: { 'Retry-After': String(allowed) },
        });
      }
      await m.route.handler({ req, res, params: m.params, query: url.searchParams, path, remote });
    } catch (e) {
      if (!(e instanceof ApiError)) this.#log.error({ err: e, path }, 'API handler failed');
      sendError(res, e);
    } finally {
      const status = String(res.statusCode);
      this.#apiTotal.inc({ api, method, status });
      this.#apiElapsed.observe({ api, method, status }, (performance.now() - t0) / 1000);
    }
  }

  /** Stop listening and close idle connections; in-flight requests finish. Idempotent. */
  async stop(): Promise<void> {
    const s = this.#server;
    if (s === null) return;
    this.#server = null;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
      setTimeout(() => s.closeAllConnections(), 2000).unref();
    });
  }
}

function tokenOf(req: IncomingMessage, q: URLSearchParams): string {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const h = req.headers['x-plkit-token'];
  if (typeof h === 'string') return h;
  return q.get('token') ?? '';
}
