/**
 * LogSender with byte-road runs: in order with messages on the offload road,
 * and decoded back into points when the road changed while they waited.
 */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/common/metrics.js';
import { LogOrigin } from '../../../src/inputs/logging/log-origin.js';
import { type LogItem, LogSender } from '../../../src/inputs/logging/log-sender.js';
import { loggingMetrics } from '../../../src/inputs/logging/metrics.js';
import { RawLines, scanRawLines } from '../../../src/inputs/logging/raw-lines.js';
import type { Feed, FeedRequest } from '../../../src/io/feed.js';
import { decodeBody } from '../../../src/point/codec/index.js';
import type { ForwardedPoints } from '../../../src/point/codec/lp-forward.js';
import { loggingConfig } from './support.js';

function fakeFeed(wire: { now: 'lp' | 'protobuf' | null }) {
  const sent: ForwardedPoints[] = [];
  const fed: FeedRequest[] = [];
  const feed = {
    globalHostTags: [['host', 'h1']] as const,
    offloadWireFor: () => wire.now,
    offloadEncoded: async (f: ForwardedPoints) => {
      sent.push(f.borrowed === true ? { ...f, bytes: Buffer.from(f.bytes) } : f);
    },
    feed: async (r: FeedRequest) => {
      fed.push(r);
    },
  };
  return { feed: feed as unknown as Feed, sent, fed };
}

const origin = new LogOrigin({
  source: 'app',
  service: 'app',
  configTags: {},
  ownTags: [],
  statusAs: 'tag',
  status: 'info',
  constFields: [['filepath', '/var/log/a.log']],
  intKeys: ['log_read_lines'],
  whiteList: [],
});

function linesOf(text: string): RawLines {
  const r = new RawLines(Buffer.alloc(4096));
  const n = r.buf.write(text);
  if (!scanRawLines(r, n, 0, 1024)) throw new Error('byte road declined');
  return r;
}

const item = (message: string, line: number): LogItem => ({
  origin,
  message,
  ints: [line],
  timeNs: 1_000_000n,
  plusUs: 0,
});

describe('LogSender with byte-road runs', () => {
  it('offloads messages and runs in their order', async () => {
    const wire = { now: 'protobuf' as 'lp' | 'protobuf' | null };
    const { feed, sent } = fakeFeed(wire);
    const s = new LogSender(feed, loggingConfig({}), 'logging/app', loggingMetrics(new Metrics()));
    const run = s.encodeRun(origin, linesOf('r1\nr2\n'), 2, 5_000_000n, 'protobuf');
    await s.send([item('m1', 1), run, item('m4', 4)]);
    const msgs = sent.flatMap((f) =>
      decodeBody(f.bytes, 'application/protobuf', { category: 'logging' }).points.map((p) => [
        p.fields.get('message'),
        p.fields.get('log_read_lines'),
      ]),
    );
    expect(msgs).toEqual([
      ['m1', 1n],
      ['r1', 2n],
      ['r2', 3n],
      ['m4', 4n],
    ]);
  });

  it('decodes runs back into points when the road changed while they waited', async () => {
    const wire = { now: 'lp' as 'lp' | 'protobuf' | null };
    const { feed, sent, fed } = fakeFeed(wire);
    const s = new LogSender(feed, loggingConfig({}), 'logging/app', loggingMetrics(new Metrics()));
    const run = s.encodeRun(origin, linesOf('r1 "q"\n'), 7, 5_000_000n, 'lp');
    wire.now = null;
    await s.send([run, item('m2', 8)]);
    expect(sent).toEqual([]);
    const pts = fed[0]!.points;
    expect(pts.map((p) => p.fields.get('message'))).toEqual(['r1 "q"', 'm2']);
    expect(pts[0]!.fields.get('log_read_lines')).toBe(7n);
    expect(pts[0]!.time).toBe(5_000_000n);
    expect(Object.fromEntries(pts[0]!.tags)).toEqual({ host: 'h1', service: 'app', status: 'info' });
    // Encoded for one wire, offloaded over another: the run's points take the ordinary road too.
    wire.now = 'protobuf';
    const lpRun = s.encodeRun(origin, linesOf('x\n'), 1, 1n, 'lp');
    await s.send([lpRun]);
    expect(fed[1]!.points.map((p) => p.fields.get('message'))).toEqual(['x']);
  });

  it('a run keeps its read buffer; the buffer is reused once the run is released, and only then', () => {
    const { feed } = fakeFeed({ now: 'protobuf' });
    const s = new LogSender(feed, loggingConfig({}), 'logging/app', loggingMetrics(new Metrics()));
    const r = s.rawLines();
    const read = (text: string) => {
      const n = r.buf.write(text);
      if (!scanRawLines(r, n, 0, 1024)) throw new Error('byte road declined');
      return r;
    };
    const first = r.buf;
    const a = s.encodeRun(origin, read('a\n'), 1, 1n, 'protobuf');
    expect(a.pooled).toBe(first);
    expect(a.run.bytes.buffer).toBe(first.buffer);
    const second = r.buf;
    expect(second).not.toBe(first);
    const b = s.encodeRun(origin, read('b\n'), 2, 1n, 'protobuf');
    expect(b.pooled).toBe(second);
    s.release(a);
    s.release(a);
    expect(a.pooled).toBeNull();
    const c = s.encodeRun(origin, read('c\n'), 3, 1n, 'protobuf');
    expect(c.pooled).not.toBe(first);
    // The next read gets the released buffer, never one a run still holds.
    expect(r.buf).toBe(first);
    // The released bytes were reused; the held ones were not.
    expect(
      decodeBody(c.run.bytes, 'application/protobuf', { category: 'logging' }).points[0]!.fields.get(
        'message',
      ),
    ).toBe('c');
    expect(
      decodeBody(b.run.bytes, 'application/protobuf', { category: 'logging' }).points[0]!.fields.get(
        'message',
      ),
    ).toBe('b');
  });
});
