/**
 * The write API's fast road writes its output into pooled buffers: one is
 * reused only after the offloader settled the points written in it.
 */
import { describe, expect, it } from 'vitest';
import { Feed, type OffloadSink, type PipelineStage } from '../../src/io/feed.js';
import type { ForwardedPoints } from '../../src/point/codec/lp-forward.js';

function harness() {
  const calls: { fwd: ForwardedPoints; text: string; settle: () => void }[] = [];
  const offloader: OffloadSink = {
    encodedWire: 'lp',
    send: async () => {},
    sendEncoded: (fwd) =>
      new Promise<void>((resolve) =>
        calls.push({ fwd, text: Buffer.from(fwd.bytes).toString(), settle: resolve }),
      ),
  };
  const pipeline: PipelineStage = {
    process: (_c, points) => ({ kept: points, offload: [], extra: [] }),
    offloadsWhole: () => true,
  };
  const feed = new Feed({ pipeline, offloader, uploader: { write: () => {} } });
  const forward = (body: string) =>
    feed.forwardRaw({
      category: 'logging',
      body: Buffer.from(body),
      precision: 'n',
      nowNs: 1n,
      input: 'test',
    });
  return { calls, forward };
}

describe('Feed.forwardRaw output buffers', () => {
  it('reuses a buffer only once its points are settled', async () => {
    const { calls, forward } = harness();
    const a = forward('a f=1i 1');
    const b = forward('b f=2i 2');
    expect(calls.length).toBe(2);
    const bufA = calls[0]!.fwd.bytes.buffer;
    expect(calls[1]!.fwd.bytes.buffer).not.toBe(bufA);
    calls[0]!.settle();
    expect(await a).toBe(1);
    const c = forward('c f=3i 3');
    expect(calls[2]!.fwd.bytes.buffer).toBe(bufA);
    // The held one was not touched.
    expect(Buffer.from(calls[1]!.fwd.bytes).toString()).toBe(calls[1]!.text);
    expect(calls.map((x) => x.text)).toEqual(['a f=1i 1\n', 'b f=2i 2\n', 'c f=3i 3\n']);
    calls[1]!.settle();
    calls[2]!.settle();
    await Promise.all([b, c]);
  });
});
