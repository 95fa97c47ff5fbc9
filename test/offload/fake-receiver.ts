/**
 * A scriptable offload receiver on 127.0.0.1 for the offloader tests: it
 * records every request (path, headers, body, the points decoded from it)
 * and answers as `behave` says — a status, a delay, a hang, or a
 * connection closed before or in the middle of the answer. It can be
 * closed and reopened on the same port to play a receiver that dies and
 * comes back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decodeBody } from '../../src/point/codec/index.js';
import { type FieldValue, Point } from '../../src/point/index.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  points: Point[];
}

export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { hang: true }
  | { destroy: 'before-answer' | 'mid-answer' };

export class FakeReceiver {
  readonly received: Received[] = [];
  pings = 0;
  behave: (req: Received, n: number) => Behaviour = () => ({ status: 200 });
  pingStatus = 200;
  /** Cut the connection while the request body is still arriving. */
  cutRequests = false;
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  #n = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = this.port): Promise<this> {
    const server = createServer((req, res) => this.#handle(req, res));
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stop listening and cut every connection (a dead receiver). */
  async close(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (s === null) return;
    for (const sock of this.#sockets) sock.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }

  get points(): Point[] {
    return this.received.flatMap((r) => r.points);
  }

  /** Values of field `key` over the points received, in order. */
  values(key: string): unknown[] {
    return this.points.map((p) => p.get(key));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && req.url === '/v1/ping') {
      this.pings++;
      res.writeHead(this.pingStatus, { 'Content-Type': 'application/json' });
      res.end('{"content":{}}');
      return;
    }
    if (this.cutRequests) {
      req.once('data', () => req.socket.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const ct = req.headers['content-type'];
      const points = decodeBody(body, ct, { category: 'logging', precision: 'n' }).points;
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        points,
      };
      const b = this.behave(r, this.#n++);
      if ('hang' in b) return;
      if ('destroy' in b) {
        if (b.destroy === 'mid-answer') {
          res.writeHead(200, { 'Content-Length': '100' });
          res.write('partial');
          setTimeout(() => res.socket?.destroy(), 5);
        } else req.socket.destroy();
        return;
      }
      const answer = () => {
        if (b.status >= 200 && b.status < 300) this.received.push(r);
        res.writeHead(b.status, { 'Content-Type': 'application/json', ...(b.headers ?? {}) });
        res.end(b.body ?? (b.status < 300 ? '' : '{"error_code":"datakit.test","message":"test"}'));
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  }
}

/** Logging points `name` with a unique `seq` field (and optional tags). */
export function makePoints(n: number, from = 0, tags: (i: number) => Record<string, string> = () => ({})) {
  const out: Point[] = [];
  for (let i = from; i < from + n; i++) {
    out.push(makePoint(i, tags(i)));
  }
  return out;
}

export function makePoint(seq: number, tags: Record<string, string> = {}): Point {
  return new Point(
    'app',
    new Map(Object.entries(tags)),
    new Map<string, FieldValue>([
      ['message', `line ${seq}`],
      ['seq', BigInt(seq)],
      ['status', 'info'],
    ]),
    1_700_000_000_000_000_000n + BigInt(seq),
  );
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
