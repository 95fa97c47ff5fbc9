/** Offloaders and receivers for one test, all stopped and removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Metrics } from '../../src/common/metrics.js';
import { Offloader, type OffloaderOptions } from '../../src/offload/index.js';
import { FakeReceiver } from './fake-receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'plkit-offload-'));
  onCleanup(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export async function receivers(n: number): Promise<FakeReceiver[]> {
  const out: FakeReceiver[] = [];
  for (let i = 0; i < n; i++) {
    const r = await new FakeReceiver().listen(0);
    onCleanup(() => r.close());
    out.push(r);
  }
  return out;
}

/** Fast settings so failure paths finish in milliseconds. */
export const FAST: Partial<OffloaderOptions> = {
  flushIntervalMs: 20,
  healthCheckIntervalMs: 100,
  timeoutMs: 1000,
  stopDeadlineMs: 1000,
  fsync: 'never',
};

export async function offloader(
  opts: Partial<OffloaderOptions> & { addresses: readonly string[] },
  dir = tempDir(),
): Promise<{ off: Offloader; metrics: Metrics; dir: string }> {
  const metrics = opts.metrics ?? new Metrics();
  const off = new Offloader({
    receiver: 'datakit-http',
    spoolPath: join(dir, 'spool'),
    ...FAST,
    ...opts,
    metrics,
  });
  await off.start();
  onCleanup(() => off.stop({ deadlineMs: 200 }));
  return { off, metrics, dir };
}

/** Sum of a metric's series matching `labels` (a summary counts its observations). */
export async function metricValue(
  m: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = m.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  let sum = 0;
  for (const v of data.values) {
    const metricName = (v as { metricName?: string }).metricName;
    if (String(data.type) === 'summary' && !metricName?.endsWith('_count')) continue;
    const l = v.labels as Record<string, string | number>;
    if (Object.entries(labels).every(([k, x]) => String(l[k]) === x)) sum += v.value;
  }
  return sum;
}
