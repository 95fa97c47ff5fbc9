/** Shared fixtures for the logging input tests: a config with DataKit's defaults and a feed that records. */
import type { LoggingInputConfig } from '../../../src/config/types.js';
import { Feed, type OffloadSink, type PipelineStage } from '../../../src/io/feed.js';
import type { ForwardedPoints } from '../../../src/point/codec/lp-forward.js';
import type { Point } from '../../../src/point/point.js';

export function loggingConfig(over: Partial<LoggingInputConfig>): LoggingInputConfig {
  return {
    origin: { file: 'conf.d/test.conf', index: 0 },
    logfiles: [],
    ignore: [],
    sockets: [],
    source: 'app',
    service: 'app',
    pipeline: 'app.p',
    storageIndex: '',
    ignoreStatus: [],
    fieldWhiteList: [],
    characterEncoding: '',
    multilineMatch: '',
    enableMultiline: false,
    autoMultilineDetection: false,
    autoMultilineExtraPatterns: [],
    fromBeginning: true,
    ignoreDeadLogMs: 0,
    removeAnsiEscapeCodes: false,
    maxOpenFiles: 500,
    mode: '',
    tags: {},
    ...over,
  };
}

/** A feed whose uploader records points; `failures` makes the next N writes throw. */
export function recordingFeed(opts: { offload?: 'lp' | 'protobuf'; hostTags?: Record<string, string> } = {}) {
  const uploaded: Point[] = [];
  const encoded: ForwardedPoints[] = [];
  const state = { failures: 0 };
  const pipeline: PipelineStage = {
    process: (_c, points) => ({ kept: points, offload: [], extra: [] }),
    offloadsWhole: () => opts.offload !== undefined,
  };
  const offloader: OffloadSink | undefined =
    opts.offload === undefined
      ? undefined
      : {
          encodedWire: opts.offload,
          send: async () => {
            throw new Error('points road not expected');
          },
          sendEncoded: async (f) => {
            if (state.failures > 0) {
              state.failures--;
              throw new Error('fleet and spool refuse');
            }
            // Encoded bytes are valid only until the returned promise settles (the message road lends
            // its scratch for the call, the byte road's buffer is reused once delivered): keep a copy.
            encoded.push({ ...f, bytes: Buffer.from(f.bytes) });
          },
        };
  const feed = new Feed({
    globalHostTags: opts.hostTags ?? { host: 'h1' },
    pipeline,
    offloader,
    uploader: {
      write: (_c, points) => {
        if (state.failures > 0) {
          state.failures--;
          throw new Error('WAL full');
        }
        uploaded.push(...points);
      },
    },
  });
  return { feed, uploaded, encoded, state };
}

export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
