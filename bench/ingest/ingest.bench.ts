/**
 * Ingest throughput: points/s through `POST /v1/write/logging` → the
 * nginx script → the DataWay uploader → a local DataWay, with the agent a
 * separate `plkit run` process (one Node thread, so one core) and the
 * DataWay another (`plkit dataway`). Reports accepted points/s, the agent's
 * CPU seconds per point, its RSS at steady state, and how long the DataWay
 * took to hold everything. Prints one JSON line. Needs the build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../support.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const SECONDS = Number(process.env.PLKIT_BENCH_SECONDS ?? 10);
const CONCURRENCY = 4;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function start(args: string[]): { proc: ChildProcess; ready: (re: RegExp) => Promise<void> } {
  const prof = process.env.PLKIT_BENCH_PROFILE_DIR;
  const flags = prof && args[0] === 'run' ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const proc = spawn(process.execPath, [...flags, MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PLKIT_LOG_LEVEL: 'error' },
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const ready = async (re: RegExp) => {
    for (let i = 0; i < 400 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    if (!re.test(out)) throw new Error(`not ready: ${out}`);
  };
  return { proc, ready };
}

function procStat(pid: number): { cpuSec: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return { cpuSec: ticks / 100, rssMiB: Math.round(Number(rss) / 1024) };
}

const work = mkdtempSync(join(tmpdir(), 'plkit-ingest-'));
const [api, dw] = [await freePort(), await freePort()];
mkdirSync(join(work, 'conf.d'));
mkdirSync(join(work, 'pipeline'));
writeFileSync(
  join(work, 'conf.d', 'datakit.conf'),
  `[http_api]\n  listen = "127.0.0.1:${api}"\n  request_rate_limit = 0.0\n[dataway]\n  urls = ["http://127.0.0.1:${dw}?token=tkn_bench"]\n`,
);
// nginx1000.lp carries the raw access line in `message`; run the bench nginx script on it.
writeFileSync(
  join(work, 'pipeline', 'nginx.p'),
  readFileSync(join(sharedDir(), 'bench', 'pipeline', 'nginx.p')),
);
const body = readFileSync(join(sharedDir(), 'bench', 'codec', 'nginx1000.lp'));
const perBody = body.toString('utf8').trim().split('\n').length;

const dataway = start(['dataway', '--listen', `127.0.0.1:${dw}`, '--db', join(work, 'dw.db')]);
await dataway.ready(/listening on/);
const agent = start(['run', '--workdir', work]);
await agent.ready(/HTTP API/);

let sent = 0;
let failed = 0;
const until = Date.now() + SECONDS * 1000;
const before = procStat(agent.proc.pid!);
const t0 = performance.now();
let rssPeak = 0;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, procStat(agent.proc.pid!).rssMiB);
}, 200);
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < until) {
      const r = await fetch(`http://127.0.0.1:${api}/v1/write/logging?source=nginx`, {
        method: 'POST',
        body,
      });
      await r.arrayBuffer();
      if (r.status === 200) sent += perBody;
      else failed++;
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const after = procStat(agent.proc.pid!);
clearInterval(sampler);

// Wait until the DataWay holds everything (the WAL drains behind intake).
const drainT0 = performance.now();
let stored = 0;
for (let i = 0; i < 600; i++) {
  stored = (
    (await (await fetch(`http://127.0.0.1:${dw}/v1/query/count?category=logging`)).json()) as {
      count: number;
    }
  ).count;
  if (stored >= sent) break;
  await new Promise((r) => setTimeout(r, 100));
}
const drainSec = (performance.now() - drainT0) / 1000;
agent.proc.kill('SIGTERM');
dataway.proc.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 500));
rmSync(work, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'ingest',
    seconds: Math.round(elapsed * 10) / 10,
    accepted_points_per_s: Math.round(sent / elapsed),
    agent_cpu_us_per_point: Math.round(((after.cpuSec - before.cpuSec) / sent) * 1e6 * 10) / 10,
    agent_rss_mib_end: after.rssMiB,
    agent_rss_mib_peak: rssPeak,
    rejected_requests: failed,
    stored_points: stored,
    all_stored: stored >= sent,
    drain_after_intake_s: Math.round(drainSec * 10) / 10,
  }),
);
