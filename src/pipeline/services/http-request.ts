/**
 * The outside world as `http_request()` reaches it. Off unless the
 * operator enables it; every request is checked against the NetPolicy on
 * the addresses its host resolves to, and then sent to exactly the
 * address that was checked (Host header and TLS server name carry the
 * original name), so DNS rebinding cannot redirect it. Redirects are not
 * followed (a 3xx is returned as it is: following one would leave the
 * checked address), bodies are capped and every request has a deadline.
 *
 * Scripts run synchronously, so the request is done on a helper thread
 * while the pipeline waits (`SyncWorker`), as DataKit's pipeline worker
 * waits on its Go HTTP client. That thread uses node:http directly: it
 * cannot share the agent's HttpClient (another thread) and needs pinned
 * addresses without connection pooling.
 */
import { isIP } from 'node:net';
import { NetPolicy, type NetPolicyOptions } from './net-policy.js';
import { SyncWorker } from './sync-worker.js';

export interface HttpRequestServiceOptions extends NetPolicyOptions {
  /** Whole-request deadline (DataKit's client uses 10 s). */
  timeoutMs?: number;
  /** Largest response body read; a larger one fails the request. */
  maxResponseBytes?: number;
  userAgent?: string;
}

export interface HttpCall {
  method: string;
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Uint8Array | null;
}

export type HttpCallResult = { ok: true; status: number; body: string } | { ok: false; reason: string };

export const HTTP_REQUEST_DEFAULTS = { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 } as const;

/** RFC 7230 token characters, what Go's http.NewRequest accepts as a method. */
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Framing headers plkit sets itself (Go ignores a script's too). */
const OWN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

const WORKER_SOURCE = `
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');

async function handle(m) {
  if (m.op === 'lookup') {
    const list = await dns.promises.lookup(m.host, { all: true, verbatim: true });
    return { addresses: list.map((a) => a.address) };
  }
  return send(m);
}

function send(m) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const opts = {
      host: m.address,
      port: m.port,
      method: m.method,
      path: m.path,
      headers: m.headers,
      agent: false,
    };
    if (m.servername) opts.servername = m.servername;
    let req;
    try {
      req = (m.protocol === 'https:' ? https : http).request(opts, (res) => {
        const chunks = [];
        let size = 0;
        res.on('data', (c) => {
          size += c.length;
          if (size > m.maxBytes) {
            req.destroy(new Error('response larger than ' + m.maxBytes + ' bytes'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on('error', (e) => finish({ error: e.message }));
      });
    } catch (e) {
      finish({ error: e.message });
      return;
    }
    const timer = setTimeout(() => req.destroy(new Error('timed out after ' + m.timeoutMs + ' ms')), m.timeoutMs);
    req.on('error', (e) => finish({ error: e.message }));
    if (m.body !== null && m.body !== undefined) req.end(m.body);
    else req.end();
  });
}
`;

const utf8 = new TextDecoder();

export class HttpRequestService {
  readonly policy: NetPolicy;
  /** Allow-list entries that were not understood (the factory logs them). */
  readonly configErrors: readonly string[];
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #userAgent: string;
  readonly #worker = new SyncWorker(WORKER_SOURCE);

  constructor(opts: HttpRequestServiceOptions = {}) {
    const { policy, errors } = NetPolicy.create(opts);
    this.policy = policy;
    this.configErrors = errors;
    this.#timeoutMs = opts.timeoutMs ?? HTTP_REQUEST_DEFAULTS.timeoutMs;
    this.#maxBytes = opts.maxResponseBytes ?? HTTP_REQUEST_DEFAULTS.maxResponseBytes;
    this.#userAgent = opts.userAgent ?? 'plkit';
  }

  /** Send one request and wait for it; refusals and failures are values, never thrown. */
  request(call: HttpCall): HttpCallResult {
    const method = call.method === '' ? 'GET' : call.method;
    if (!METHOD.test(method)) return { ok: false, reason: `invalid method ${JSON.stringify(call.method)}` };
    const u = this.policy.checkUrl(call.url);
    if (!u.ok) return u;
    const started = Date.now();

    let addresses: string[];
    if (u.literal) addresses = [u.host];
    else {
      const res = this.#worker.call({ op: 'lookup', host: u.host }, this.#timeoutMs);
      if (res === null) return { ok: false, reason: `${u.host}: lookup timed out` };
      if (res.error !== undefined) return { ok: false, reason: `${u.host}: ${res.error}` };
      addresses = (res.addresses as string[]).filter((a) => isIP(a) !== 0);
    }
    const verdict = this.policy.checkAddresses(u.host, u.literal, addresses);
    if (!verdict.ok) return verdict;

    const headers: Record<string, string> = { 'user-agent': this.#userAgent };
    for (const k in call.headers) {
      if (!OWN_HEADERS.has(k.toLowerCase())) headers[k] = call.headers[k]!;
    }
    headers.host = u.url.host;
    const body = call.body ?? null;
    if (body !== null) headers['content-length'] = String(byteLength(body));

    const left = Math.max(1, this.#timeoutMs - (Date.now() - started));
    const res = this.#worker.call(
      {
        op: 'request',
        protocol: u.url.protocol,
        address: addresses[0],
        port: u.url.port === '' ? (u.url.protocol === 'https:' ? 443 : 80) : Number(u.url.port),
        path: u.url.pathname + u.url.search,
        method,
        headers,
        body,
        servername: u.literal ? '' : u.host,
        timeoutMs: left,
        maxBytes: this.#maxBytes,
      },
      left + 1000,
    );
    if (res === null) return { ok: false, reason: `${u.host}: timed out after ${this.#timeoutMs} ms` };
    if (res.error !== undefined) return { ok: false, reason: `${u.host}: ${res.error}` };
    return { ok: true, status: res.status as number, body: utf8.decode(res.body as Uint8Array) };
  }

  /** Stop the helper thread. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}

function byteLength(b: string | Uint8Array): number {
  return typeof b === 'string' ? Buffer.byteLength(b) : b.byteLength;
}
