/** A processor for the ploffload tests: ApiServer + Feed over memory sinks, stopped after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Metrics } from '../../../src/common/metrics.js';
import { PlkError } from '../../../src/common/plk-error.js';
import { registerWriteApi } from '../../../src/inputs/http-write/index.js';
import { PloffloadInput, type PloffloadInputOptions } from '../../../src/inputs/ploffload/index.js';
import { Feed, type OffloadSink, type PipelineStage, type UploadSink } from '../../../src/io/feed.js';
import type { Category } from '../../../src/point/category.js';
import type { Point } from '../../../src/point/index.js';
import { ApiServer } from '../../../src/server/api-server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'plkit-ploffload-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The uploader as a list; `refuse` > 0 makes the next writes fail as a full WAL would. */
export class MemoryUploader implements UploadSink {
  got: { category: Category; points: Point[] }[] = [];
  refuse = 0;
  write(category: Category, points: readonly Point[]): void {
    if (this.refuse > 0) {
      this.refuse--;
      throw new PlkError('PLK_ERR_QUEUE_FULL', 'WAL full (test)');
    }
    this.got.push({ category, points: [...points] });
  }
  get points(): Point[] {
    return this.got.flatMap((g) => g.points);
  }
}

/** Records what would be offloaded again (must stay empty for offloaded arrivals). */
export class MemoryOffloader implements OffloadSink {
  points: Point[] = [];
  async send(points: Point[]): Promise<void> {
    this.points.push(...points);
  }
}

/** A pipeline stage that offloads every logging point it may (as remote scripts would). */
export const offloadEverything: PipelineStage = {
  process(_category, points, _sel, opts) {
    return opts.splitOffload
      ? { kept: [], offload: points, extra: [] }
      : { kept: points, offload: [], extra: [] };
  },
};

export interface Processor {
  url: string;
  input: PloffloadInput;
  uploader: MemoryUploader;
  offloader: MemoryOffloader;
  metrics: Metrics;
  stop: () => Promise<void>;
}

export async function processor(
  opts: Partial<Omit<PloffloadInputOptions, 'server' | 'feed'>> = {},
  uploader = new MemoryUploader(),
  /** The processor has offload configured itself (to prove arrivals are not offloaded again). */
  withOffload = true,
): Promise<Processor> {
  const metrics = new Metrics();
  const server = new ApiServer({ listen: '127.0.0.1:0', metrics });
  const offloader = new MemoryOffloader();
  const feed = new Feed({
    pipeline: offloadEverything,
    offloader: withOffload ? offloader : undefined,
    uploader,
    globalHostTags: { host: 'processor-1' },
  });
  registerWriteApi(server, feed, { maxBodyBytes: 1 << 24, metrics });
  const input = new PloffloadInput({
    server,
    feed,
    config: { storage: null },
    metrics,
    fsync: 'never',
    retryDelayMs: 20,
    ...opts,
  });
  input.start();
  const { url } = await server.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await input.stop();
    await server.stop();
  };
  cleanups.push(stop);
  return { url, input, uploader, offloader, metrics, stop };
}
