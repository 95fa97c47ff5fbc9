/**
 * The `sockets` of one `[[inputs.logging]]`: TCP listeners (one line = one
 * message, per connection) and UDP sockets (each datagram split on
 * newlines), with DataKit's point shape — tags `log_source = "socket"`
 * and `collector_source_ip`, fields `message`, `message_length` and
 * `status`.
 *
 * Back-pressure: while the shipper has `maxInFlight` batches outstanding,
 * TCP connections are paused (the kernel's window then slows the
 * senders). UDP cannot be paused; past a bounded backlog datagrams are
 * dropped and counted — a datagram sender has no acknowledgement to lose.
 * Unlike DataKit, a TCP connection that closes without a final newline
 * still delivers its last line.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Logger } from '../../common/logger.js';
import type { Metrics } from '../../common/metrics.js';
import type { LoggingInputConfig } from '../../config/types.js';
import { parseSocketUrl } from '../../config/urls.js';
import type { Feed } from '../../io/feed.js';
import { LineReader } from './line-reader.js';
import { LogOrigin } from './log-origin.js';
import { type LogItem, LogSender } from './log-sender.js';
import { DEFAULT_STATUS, MAX_LINE_BYTES, multilineOptions } from './logging-config.js';
import { type LoggingMetrics, loggingMetrics } from './metrics.js';
import { Multiline, type MultilineOptions } from './multiline.js';
import { Shipper } from './shipper.js';
import { trimRightSpace } from './trim-right-space.js';
import type { Line } from './types.js';

/** Biggest UDP datagram read (DataKit: 64 KiB). */
const UDP_MAX_BYTES = 65_536;
/** Messages a paused-for-back-pressure UDP socket may queue before it drops. */
const UDP_BACKLOG = 100_000;

export interface SocketInputOptions {
  config: LoggingInputConfig;
  feed: Feed;
  metrics: Metrics;
  logger: Logger;
  batchSize?: number;
  flushMs?: number;
  maxInFlight?: number;
}

interface Listener {
  url: string;
  close: () => Promise<void>;
  address: string;
}

export class SocketInput {
  readonly #cfg: LoggingInputConfig;
  readonly #log: Logger;
  readonly #m: LoggingMetrics;
  readonly #shipper: Shipper<LogItem>;
  readonly #multiline: MultilineOptions;
  readonly #multilineOn: boolean;
  readonly #listeners: Listener[] = [];
  readonly #conns = new Set<net.Socket>();
  /** Origins by peer address: the tags differ only in `collector_source_ip`. */
  readonly #origins = new Map<string, LogOrigin>();
  #udpMultiline: Multiline | null = null;

  constructor(o: SocketInputOptions) {
    const cfg = o.config;
    this.#cfg = cfg;
    this.#log = o.logger.child({ input: 'logging', source: cfg.source });
    this.#m = loggingMetrics(o.metrics);
    this.#multiline = multilineOptions(cfg);
    this.#multilineOn = this.#multiline.match !== '' || this.#multiline.auto;
    const probe = Multiline.create(this.#multiline);
    if (!(probe instanceof Multiline)) {
      throw new Error(`${cfg.origin.file}: inputs.logging[${cfg.origin.index}]: ${probe.message}`);
    }
    const sender = new LogSender(o.feed, cfg, `socketLog/${cfg.source}`, this.#m);
    this.#shipper = new Shipper<LogItem>({
      send: (items) => sender.send(items),
      delivered: () => this.#resume(),
      batchSize: o.batchSize ?? 1024,
      flushMs: o.flushMs ?? 100,
      maxInFlight: o.maxInFlight ?? 4,
      logger: this.#log,
      name: `${cfg.origin.file}#${cfg.origin.index} (source ${cfg.source}, sockets)`,
    });
  }

  /** Open every socket; a socket that cannot open (bad address, port taken) fails the start with its URL. */
  async start(): Promise<string[]> {
    for (const url of this.#cfg.sockets) {
      const u = parseSocketUrl(url);
      if (typeof u === 'string') throw new Error(`logging socket ${JSON.stringify(url)}: ${u}`);
      const { scheme } = u;
      const hp = { host: u.host, port: u.port };
      try {
        this.#listeners.push(
          scheme.startsWith('udp') ? await this.#udp(url, scheme, hp) : await this.#tcp(url, hp),
        );
      } catch (e) {
        await this.stop(0);
        throw new Error(`logging socket ${url}: ${(e as Error).message}`);
      }
    }
    return this.#listeners.map((l) => l.address);
  }

  async stop(deadlineMs = 5000): Promise<void> {
    const ls = this.#listeners.splice(0);
    for (const c of this.#conns) c.destroy();
    await Promise.all(ls.map((l) => l.close()));
    const rest = this.#udpMultiline?.flush() ?? null;
    if (rest !== null) this.#add(rest.text, '');
    await this.#shipper.stop(deadlineMs);
  }

  #tcp(url: string, hp: { host: string; port: number }): Promise<Listener> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((sock) => this.#connection(sock));
      server.once('error', reject);
      server.listen(hp.port, hp.host === '' ? undefined : hp.host, () => {
        server.off('error', reject);
        server.on('error', (e) => this.#log.error({ url, err: e.message }, 'logging tcp socket error'));
        const a = server.address() as net.AddressInfo;
        resolve({
          url,
          address: `tcp://${fmtHost(a.address)}:${a.port}`,
          close: () => new Promise<void>((r) => server.close(() => r())),
        });
      });
    });
  }

  #connection(sock: net.Socket): void {
    this.#conns.add(sock);
    this.#m.socketConnects.inc({ network: 'tcp', status: 'ok' });
    const ip = sock.remoteAddress ?? '';
    const reader = new LineReader(
      {
        encoding: this.#cfg.characterEncoding,
        maxLineBytes: MAX_LINE_BYTES,
        removeAnsi: this.#cfg.removeAnsiEscapeCodes,
      },
      0,
    );
    const ml = this.#multilineOn ? (Multiline.create(this.#multiline) as Multiline) : null;
    sock.on('data', (chunk: Buffer) => {
      this.#m.socketFeeds.inc({ network: 'tcp' });
      this.#lines(reader.push(chunk), ml, ip);
      if (this.#shipper.full) sock.pause();
    });
    const end = () => {
      if (!this.#conns.delete(sock)) return;
      const last = reader.flushPartial();
      if (last !== null) this.#lines([last], ml, ip);
      const rest = ml?.flush() ?? null;
      if (rest !== null) this.#add(rest.text, ip);
    };
    sock.on('end', end);
    sock.on('close', end);
    sock.on('error', (e) => this.#log.debug({ peer: ip, err: e.message }, 'logging tcp connection error'));
  }

  #udp(url: string, scheme: string, hp: { host: string; port: number }): Promise<Listener> {
    const type = scheme === 'udp6' || hp.host.includes(':') ? 'udp6' : 'udp4';
    const s = dgram.createSocket({ type, recvBufferSize: 4 * 1024 * 1024 });
    this.#udpMultiline = this.#multilineOn ? (Multiline.create(this.#multiline) as Multiline) : null;
    s.on('message', (msg, rinfo) => {
      this.#m.socketFeeds.inc({ network: 'udp' });
      if (this.#shipper.full && this.#shipper.buffered > UDP_BACKLOG) {
        this.#m.socketDropped.inc({ network: 'udp' });
        return;
      }
      const reader = new LineReader(
        {
          encoding: this.#cfg.characterEncoding,
          maxLineBytes: UDP_MAX_BYTES,
          removeAnsi: this.#cfg.removeAnsiEscapeCodes,
        },
        0,
      );
      const lines = reader.push(msg);
      const last = reader.flushPartial();
      if (last !== null) lines.push(last);
      this.#lines(lines, this.#udpMultiline, rinfo.address);
    });
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.bind(hp.port, hp.host === '' ? undefined : hp.host, () => {
        s.off('error', reject);
        s.on('error', (e) => this.#log.error({ url, err: e.message }, 'logging udp socket error'));
        const a = s.address();
        resolve({
          url,
          address: `udp://${fmtHost(a.address)}:${a.port}`,
          close: () => new Promise<void>((r) => s.close(() => r())),
        });
      });
    });
  }

  /** DataKit: with multiline on, lines are trimmed and joined; off, each non-empty line goes as it came. */
  #lines(lines: Line[], ml: Multiline | null, ip: string): void {
    const now = Date.now();
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (ml === null) {
        if (l.text.length > 0) this.#add(l.text, ip);
        continue;
      }
      if (l.bare) continue;
      const m = ml.push({ text: trimRightSpace(l.text), end: l.end, truncated: l.truncated }, now);
      if (m !== null) this.#add(m.text, ip);
    }
  }

  #add(text: string, ip: string): void {
    let o = this.#origins.get(ip);
    if (o === undefined) {
      if (this.#origins.size > 10_000) this.#origins.clear();
      o = new LogOrigin({
        source: this.#cfg.source,
        service: this.#cfg.service,
        configTags: this.#cfg.tags,
        ownTags:
          ip === ''
            ? [['log_source', 'socket']]
            : [
                ['log_source', 'socket'],
                ['collector_source_ip', ip],
              ],
        statusAs: 'field',
        status: DEFAULT_STATUS,
        constFields: [],
        intKeys: ['message_length'],
        whiteList: this.#cfg.fieldWhiteList,
      });
      this.#origins.set(ip, o);
    }
    if (o.empty) return;
    this.#shipper.add({
      origin: o,
      message: text,
      ints: [Buffer.byteLength(text, 'utf8')],
      timeNs: BigInt(Date.now()) * 1_000_000n,
      plusUs: 0,
    });
  }

  #resume(): void {
    if (this.#shipper.full) return;
    for (const c of this.#conns) if (c.isPaused()) c.resume();
  }
}

function fmtHost(h: string): string {
  return h.includes(':') ? `[${h}]` : h;
}
