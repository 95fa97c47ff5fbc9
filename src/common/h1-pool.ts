/**
 * Keep-alive HTTP/1.1 connections to one origin, one request at a time on
 * each: plkit's own transport under `HttpClient` for the offload road
 * (`transport: 'h1'`). A request is its head as one Latin-1 string plus the
 * body, handed to the socket corked so the kernel sees a single `writev`;
 * the answer is read (plain TCP) with `onread` into one buffer shared by
 * all connections, straight into `H1ResponseParser`, past the stream
 * machinery and its fresh buffer per read (that took the CPU per request
 * from ~0.77× undici's to ~0.71× in the same bench). That is all an offload batch
 * needs, and it costs the agent less than undici's general-purpose
 * machinery: ~0.8× the CPU per request in isolation
 * (bench/offload/transport.bench.ts), and in the offload benchmark's
 * tailing run 5.1 against 6.6 µs per offloaded point (medians of five) —
 * at DataKit's batch of 128 points the request is a large share of what
 * offloading a point costs.
 *
 * A request is never resent here: a connection that fails is reported, and
 * the caller decides (the offload balancer moves the batch to another
 * receiver). To keep a server's idle-timeout close from racing a reuse,
 * idle connections are dropped before the usual server timeouts (and
 * before the server's own `Keep-Alive: timeout`), and one the server closed
 * while idle is never picked.
 */
import { isIP, Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type H1Headers, type H1ParseError, H1ResponseParser } from './h1-response-parser.js';

/** Where plain-TCP connections read (one read at a time: the event loop's thread). */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

export interface H1PoolOptions {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  connectTimeoutMs: number;
  /** Close a connection idle this long (the server's `Keep-Alive: timeout` may shorten it). */
  idleMs: number;
  /** Idle connections kept; more are closed when released. */
  maxIdle: number;
  ca?: string;
  rejectUnauthorized?: boolean;
}

export interface H1Answer {
  status: number;
  headers: H1Headers;
  body: Buffer;
}

/** Why a request failed: a transport problem, or an answer larger than allowed. */
export class H1RequestError extends Error {
  readonly tooLarge: boolean;
  constructor(message: string, tooLarge = false, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.tooLarge = tooLarge;
  }
}

export interface H1Call {
  /** Give up: the connection is closed and `done` is not called. */
  abort(): void;
}

interface Pending {
  head: string;
  body: Uint8Array | null;
  maxResponseBytes: number;
  noBody: boolean;
  done: (err: H1RequestError | null, answer: H1Answer | null) => void;
  settled: boolean;
  conn: H1Connection | null;
}

export class H1Pool {
  readonly #o: H1PoolOptions;
  readonly #idle: H1Connection[] = [];
  readonly #all = new Set<H1Connection>();
  #closed = false;

  constructor(o: H1PoolOptions) {
    this.#o = o;
  }

  /**
   * Send one request. `head` is the request line and header lines with the
   * closing empty line, ready for the wire (the caller validated it).
   */
  request(
    head: string,
    body: Uint8Array | null,
    maxResponseBytes: number,
    noBody: boolean,
    done: (err: H1RequestError | null, answer: H1Answer | null) => void,
  ): H1Call {
    const p: Pending = { head, body, maxResponseBytes, noBody, done, settled: false, conn: null };
    if (this.#closed) {
      queueMicrotask(() => this.#settle(p, new H1RequestError('client closed'), null));
    } else this.#dispatch(p);
    return {
      abort: () => {
        if (p.settled) return;
        p.settled = true;
        p.conn?.destroy();
      },
    };
  }

  close(): void {
    this.#closed = true;
    for (const c of this.#all) c.destroy();
    this.#all.clear();
    this.#idle.length = 0;
  }

  #dispatch(p: Pending): void {
    let conn: H1Connection | undefined;
    while ((conn = this.#idle.pop()) !== undefined && !conn.usable) conn.destroy();
    conn ??= this.#open();
    p.conn = conn;
    conn.start(p);
  }

  #open(): H1Connection {
    const o = this.#o;
    let socket: Socket;
    if (o.protocol === 'https:') {
      socket = tlsConnect({
        host: o.hostname,
        port: o.port,
        servername: isIP(o.hostname) === 0 ? o.hostname : undefined,
        ALPNProtocols: ['http/1.1'],
        ...(o.ca !== undefined ? { ca: o.ca } : {}),
        ...(o.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      });
    } else {
      // Plain TCP reads into one buffer shared by every connection, handed straight to the parser:
      // no stream machinery and no fresh ArrayBuffer per read (see H1Connection.bytes).
      socket = tcpConnect({
        host: o.hostname,
        port: o.port,
        onread: {
          buffer: readBuffer,
          callback: (n: number, buf: Uint8Array) => {
            conn.bytes(buf, n);
            return true;
          },
        },
      });
    }
    const conn: H1Connection = new H1Connection(socket, o.connectTimeoutMs, {
      released: (c, keepAliveMs) => this.#released(c, keepAliveMs),
      closed: (c) => this.#forget(c),
      finished: (p, err, answer) => this.#settle(p, err, answer),
    });
    this.#all.add(conn);
    return conn;
  }

  #released(c: H1Connection, serverKeepAliveMs: number): void {
    const idle = Math.min(this.#o.idleMs, serverKeepAliveMs);
    if (this.#closed || idle <= 0 || this.#idle.length >= this.#o.maxIdle) {
      c.destroy();
      return;
    }
    c.idle(idle);
    this.#idle.push(c);
  }

  #forget(c: H1Connection): void {
    this.#all.delete(c);
    const i = this.#idle.indexOf(c);
    if (i >= 0) this.#idle.splice(i, 1);
  }

  #settle(p: Pending, err: H1RequestError | null, answer: H1Answer | null): void {
    if (p.settled) return;
    p.settled = true;
    p.conn = null;
    p.done(err, answer);
  }
}

interface ConnectionEvents {
  /** The answer is complete and the connection can carry another request. */
  released: (c: H1Connection, serverKeepAliveMs: number) => void;
  closed: (c: H1Connection) => void;
  finished: (p: Pending, err: H1RequestError | null, answer: H1Answer | null) => void;
}

class H1Connection {
  readonly #socket: Socket;
  readonly #ev: ConnectionEvents;
  #call: Pending | null = null;
  #parser: H1ResponseParser | null = null;
  /** The request's bytes are all with the kernel. */
  #written = false;
  #closed = false;
  #idleTimer: NodeJS.Timeout | null = null;
  #connectTimer: NodeJS.Timeout | null = null;
  #lastError: Error | null = null;

  constructor(socket: Socket, connectTimeoutMs: number, ev: ConnectionEvents) {
    this.#socket = socket;
    this.#ev = ev;
    socket.setNoDelay(true);
    const connectEvent = 'encrypted' in socket ? 'secureConnect' : 'connect';
    socket.once(connectEvent, () => {
      if (this.#connectTimer !== null) clearTimeout(this.#connectTimer);
    });
    this.#connectTimer = setTimeout(() => {
      this.#fail(new H1RequestError(`connect timed out after ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    this.#connectTimer.unref();
    // TLS sockets take no `onread`: their bytes come as 'data' events.
    if (!(socket instanceof Socket) || 'encrypted' in socket) {
      socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    }
    socket.on('error', (e) => {
      this.#lastError = e;
    });
    socket.on('close', () => this.#onClose());
  }

  /** Idle, open, and the server has not begun closing it. */
  get usable(): boolean {
    const s = this.#socket;
    return !this.#closed && this.#call === null && !s.destroyed && !s.readableEnded;
  }

  start(p: Pending): void {
    if (this.#idleTimer !== null) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
    }
    this.#call = p;
    this.#parser = new H1ResponseParser(p.maxResponseBytes, p.noBody);
    this.#written = false;
    const s = this.#socket;
    s.ref();
    s.cork();
    if (p.body === null || p.body.length === 0) s.write(p.head, 'latin1', () => this.#wrote(p));
    else {
      s.write(p.head, 'latin1');
      s.write(p.body, () => this.#wrote(p));
    }
    s.uncork();
  }

  idle(ms: number): void {
    this.#socket.unref();
    this.#idleTimer = setTimeout(() => this.destroy(), ms);
    this.#idleTimer.unref();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#socket.destroy();
    this.#closeNow();
  }

  #wrote(p: Pending): void {
    if (this.#call === p) this.#written = true;
  }

  /**
   * `n` bytes read into the shared read buffer `buf`. They are only valid
   * until this returns: the parser copies what it keeps.
   */
  bytes(buf: Uint8Array, n: number): void {
    this.#onData(Buffer.from(buf.buffer, buf.byteOffset, n));
  }

  #onData(chunk: Buffer): void {
    const p = this.#call;
    const parser = this.#parser;
    if (p === null || parser === null) {
      // Bytes nobody asked for: the connection's state is unknown.
      this.destroy();
      return;
    }
    let complete: boolean;
    try {
      complete = parser.push(chunk);
    } catch (e) {
      const pe = e as H1ParseError;
      this.#fail(
        new H1RequestError(pe.tooLarge ? pe.message : `invalid response: ${pe.message}`, pe.tooLarge),
      );
      return;
    }
    if (complete) this.#complete(p, parser);
  }

  #complete(p: Pending, parser: H1ResponseParser): void {
    this.#call = null;
    this.#parser = null;
    // The headers are made only if someone reads them (see H1ResponseParser).
    const answer: H1Answer = {
      status: parser.status,
      get headers() {
        return parser.headers;
      },
      body: parser.body,
    };
    // An answer before the whole request was written (a 413 read from the head): the rest of
    // the body would be taken for the next request, so this connection ends here.
    if (parser.keepAlive && this.#written && !this.#closed) {
      this.#ev.released(this, serverKeepAliveMs(parser.header('keep-alive')));
    } else this.destroy();
    this.#ev.finished(p, null, answer);
  }

  #onClose(): void {
    const p = this.#call;
    const parser = this.#parser;
    if (p !== null && parser?.end()) {
      this.#complete(p, parser);
      this.#closeNow();
      return;
    }
    const e = this.#lastError;
    const why =
      e !== null
        ? e.message
        : parser?.seen
          ? 'connection closed before the answer was complete'
          : 'connection closed without an answer';
    this.#fail(new H1RequestError(why, false, e ?? undefined));
  }

  #fail(err: H1RequestError): void {
    const p = this.#call;
    this.#call = null;
    this.#parser = null;
    this.#socket.destroy();
    this.#closeNow();
    if (p !== null) this.#ev.finished(p, err, null);
  }

  #closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    if (this.#connectTimer !== null) clearTimeout(this.#connectTimer);
    this.#ev.closed(this);
    const p = this.#call;
    if (p !== null) {
      this.#call = null;
      this.#parser = null;
      this.#ev.finished(p, new H1RequestError('connection closed'), null);
    }
  }
}

/** The server's `Keep-Alive: timeout=N`, less a second of margin (undici's rule), in ms; Infinity when absent. */
function serverKeepAliveMs(v: string | undefined): number {
  if (v === undefined) return Number.POSITIVE_INFINITY;
  const m = /(?:^|[,\s])timeout=(\d+)/i.exec(v);
  return m === null ? Number.POSITIVE_INFINITY : Number(m[1]) * 1000 - 1000;
}
