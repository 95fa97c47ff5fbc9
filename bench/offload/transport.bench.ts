/**
 * The agent's CPU per offload request, by HTTP transport: undici (the
 * default `HttpClient`) against plkit's own HTTP/1.1 connections
 * (`transport: 'h1'`, what the offloader uses), posting DataKit-sized
 * batches (128 points of ~400 bytes as protobuf) to the do-nothing receiver
 * in a child process, 4 requests in flight. The transports take turns for
 * several rounds and each keeps its best round (the machine is shared).
 * Prints one JSON line; `request_us` is user + system CPU per request.
 *
 * Run after `npm run build`: `node dist/bench/offload/transport.bench.js`.
 * PLKIT_BENCH_SCALE multiplies the request count.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../src/common/http-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCALE = Number(process.env.PLKIT_BENCH_SCALE ?? 1);
const REQUESTS = Math.round(3000 * SCALE);
const ROUNDS = 5;
const IN_FLIGHT = 4;
const POINTS = 128;

const sink = spawn(process.execPath, [join(HERE, 'sink-receiver.js')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    sink.once('exit', () => reject(new Error('the receiver exited')));
    createInterface({ input: sink.stdout! }).once('line', (l) =>
      resolve((JSON.parse(l) as { url: string }).url),
    );
  });
  // A valid PBPoints body: POINTS entries (field 1, 397 bytes each).
  const entry = Buffer.alloc(400, 0x61);
  entry.set([0x0a, 0x8d, 0x03]);
  const body = Buffer.concat(Array.from({ length: POINTS }, () => entry));
  const headers = {
    'User-Agent': 'plkit-offload',
    'X-Plkit-Hop': '1',
    'Content-Type': 'application/protobuf; proto=com.guance.Point',
    'X-Plkit-Batch-Id': 'bench-1',
  };
  const clients = {
    undici: new HttpClient({ connections: IN_FLIGHT + 1 }),
    h1: new HttpClient({ connections: IN_FLIGHT + 1, transport: 'h1' }),
  };
  const target = `${url}/v1/write/ploffload/logging`;
  const best: Record<string, number> = { undici: Number.POSITIVE_INFINITY, h1: Number.POSITIVE_INFINITY };
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, c] of Object.entries(clients)) {
      let left = REQUESTS;
      const c0 = process.cpuUsage();
      const worker = async () => {
        while (left-- > 0) {
          const r = await c.send({ url: target, method: 'POST', headers, body, timeoutMs: 10_000 });
          if (r.status !== 200) throw new Error(`receiver answered ${r.status}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const used = process.cpuUsage(c0);
      // Round 0 warms both up.
      if (round > 0) best[name] = Math.min(best[name]!, (used.user + used.system) / REQUESTS);
    }
  }
  await Promise.all(Object.values(clients).map((c) => c.close()));
  const r = (x: number) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'offload-transport',
      requests_per_round: REQUESTS,
      body_bytes: body.length,
      undici_request_us: r(best.undici!),
      h1_request_us: r(best.h1!),
      h1_vs_undici: Math.round((best.h1! / best.undici!) * 100) / 100,
      h1_us_per_point_at_128: r(best.h1! / POINTS),
    }),
  );
} finally {
  sink.kill();
}
