/**
 * The traffic of the offload benchmark, in its own process so its CPU is
 * not the agent's: nginx lines from shared/bench/pipeline/heavy.in with a
 * unique id each, posted as line protocol to `/v1/write/logging` (or as
 * protobuf to `/v1/write/ploffload/logging`) in requests of `perRequest`
 * points over `concurrency` connections, optionally paced. Bodies are built
 * before "go" unless each point must carry its send time (`stamp`).
 *
 * argv[2] is a JSON `SenderJob`; prints `{"ready":true}`, waits for a line
 * on stdin, sends, prints the `SenderResult` and exits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { decodeBody, encodePoints } from '../../src/point/codec/index.js';
import { sharedDir } from '../support.js';

export interface SenderJob {
  url: string;
  total: number;
  perRequest: number;
  concurrency: number;
  /** Points per second; absent = as fast as the agent answers. */
  rate?: number;
  /** `lp` to the write API, `pb` to the ploffload input. */
  wire: 'lp' | 'pb';
  /** Tag `run=<tag>` on every point (to find them in the DataWay). */
  tag: string;
  /** Add the field `sent_us` (send time, µs since the epoch) to every point. */
  stamp?: boolean;
  /** First id (ids of several runs do not collide). */
  firstId?: number;
  /** Query string of every request (e.g. `dry=true`). */
  query?: string;
}

export interface SenderResult {
  acked: number;
  failed: number;
  wallMs: number;
  /** Request → 200, ms. */
  ackP50: number;
  ackP99: number;
}

const job = JSON.parse(process.argv[2]!) as SenderJob;
const text = readFileSync(join(sharedDir(), 'bench', 'pipeline', 'heavy.in'), 'utf8').replace(/\n$/, '');
const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const [head, tail] = escaped.split('id=8812');

function body(from: number, to: number): Uint8Array {
  const now = job.stamp ? `,sent_us=${Math.round((performance.timeOrigin + performance.now()) * 1000)}i` : '';
  const lines: string[] = [];
  const base = 1_700_000_000_000_000_000n;
  for (let id = from; id < to; id++) {
    lines.push(`nginx,run=${job.tag} message="${head}id=${id}${tail}"${now} ${base + BigInt(id)}`);
  }
  const lp = Buffer.from(lines.join('\n'));
  if (job.wire === 'lp') return lp;
  const pts = decodeBody(lp, undefined, { category: 'logging', precision: 'n' }).points;
  return encodePoints(pts, 'protobuf') as Uint8Array;
}

const first = job.firstId ?? 0;
const nReq = Math.ceil(job.total / job.perRequest);
const prebuilt: Uint8Array[] = [];
if (!job.stamp) {
  for (let r = 0; r < nReq; r++) {
    prebuilt.push(body(first + r * job.perRequest, first + Math.min(job.total, (r + 1) * job.perRequest)));
  }
}
const path =
  (job.wire === 'lp' ? '/v1/write/logging' : '/v1/write/ploffload/logging') +
  (job.query ? `?${job.query}` : '');
const headers: Record<string, string> =
  job.wire === 'pb' ? { 'Content-Type': 'application/protobuf; proto=com.guance.Point' } : {};
const dispatcher = new Agent({ connections: job.concurrency, keepAliveTimeout: 60_000 });

async function run(): Promise<SenderResult> {
  let next = 0;
  let acked = 0;
  let failed = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  const lane = async () => {
    for (;;) {
      const r = next++;
      if (r >= nReq) return;
      if (job.rate !== undefined) {
        const due = t0 + ((r * job.perRequest) / job.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((s) => setTimeout(s, wait));
      }
      const from = first + r * job.perRequest;
      const to = first + Math.min(job.total, (r + 1) * job.perRequest);
      const b = job.stamp ? body(from, to) : prebuilt[r]!;
      const s = performance.now();
      try {
        const res = await request(job.url + path, { method: 'POST', body: b, headers, dispatcher });
        await res.body.arrayBuffer();
        if (res.statusCode === 200) acked += to - from;
        else failed += to - from;
      } catch {
        failed += to - from;
      }
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const wallMs = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0) * 10) / 10;
  return { acked, failed, wallMs: Math.round(wallMs), ackP50: q(0.5), ackP99: q(0.99) };
}

console.log(JSON.stringify({ ready: true }));
const rl = createInterface({ input: process.stdin });
rl.once('line', async () => {
  const r = await run();
  console.log(JSON.stringify(r));
  await dispatcher.close();
  process.exit(0);
});
