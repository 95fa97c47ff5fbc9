/**
 * Harness for the Pipeline Offload end-to-end tests: real `plkit` processes
 * on loopback — one local DataWay serving the remote script, processors with
 * the ploffload input, an agent offloading to them — plus a sender that
 * writes uniquely numbered nginx points to the agent and a reader of what
 * the DataWay stored (straight from its SQLite file, so tens of thousands of
 * points are read in one query).
 *
 * Every process started here is registered in `procs`; `cleanup()` kills
 * them all (SIGKILL) and removes the work folders, so a failing test leaves
 * nothing running. Needs the build (`npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PointStore } from '../../src/localdataway/store.js';
import { freePort, MAIN } from './support.js';

export { BUILT, freePort, MAIN, NOT_BUILT_REASON } from './support.js';

/** The remote script every processor pulls: parses the test lines, so a stored point proves it ran. */
export const NGINX_SCRIPT = [
  'grok(_, "id=%{INT:id} %{WORD:method} %{NOTSPACE:path} %{INT:code}")',
  'cast(id, "int")',
  'cast(code, "int")',
  'if code >= 500 { add_key(status, "error") }',
  'add_key(parsed, true)',
  '',
].join('\n');

const TOKEN = 'tkn_e2e_offload';
/** Points of one test run have times base + id, so a point's time names it too. */
const BASE_NS = 1_704_067_200_000_000_000n;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `check` until it returns a value other than undefined, or throw after `ms`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
  everyMs = 50,
): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) throw e;
      last = e;
    }
    if (Date.now() - t0 > ms) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(everyMs);
  }
}

/** One running `plkit …` process with its output collected. */
export class PlkitProcess {
  readonly args: string[];
  proc: ChildProcess;
  out: string[] = [];
  #exited: Promise<number | null>;

  /** `netns`: run inside that network namespace (`ip netns exec`, which execs: same pid). */
  constructor(args: string[], netns?: string) {
    this.args = args;
    const cmd = netns === undefined ? process.execPath : 'ip';
    const argv = [MAIN, ...args];
    if (netns !== undefined) argv.unshift('netns', 'exec', netns, process.execPath);
    const proc = spawn(cmd, argv, {
      env: { ...process.env, PLKIT_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    proc.stdout!.on('data', (d) => this.out.push(String(d)));
    proc.stderr!.on('data', (d) => this.out.push(String(d)));
    this.#exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get output(): string {
    return this.out.join('');
  }

  exited(): Promise<number | null> {
    return this.#exited;
  }

  async waitFor(re: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    return until(
      `${re} in the output of plkit ${this.args[0]}`,
      () => {
        const m = this.output.match(re);
        if (m) return m;
        if (!this.alive) {
          throw Object.assign(new Error(`plkit exited (${this.proc.exitCode}): ${this.output}`), {
            fatal: true,
          });
        }
        return undefined;
      },
      ms,
      25,
    );
  }

  /** `kill -9`: no flush, no goodbye. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.proc.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM, SIGKILL after `ms`. */
  async stop(ms = 10_000): Promise<number | null> {
    if (!this.alive) return this.proc.exitCode;
    const t = setTimeout(() => this.proc.kill('SIGKILL'), ms);
    this.proc.kill('SIGTERM');
    const code = await this.#exited;
    clearTimeout(t);
    return code;
  }
}

/** A work folder, a set of processes; `cleanup()` in afterEach. */
export class Lab {
  readonly dir = mkdtempSync(join(tmpdir(), 'plkit-offload-e2e-'));
  readonly procs: PlkitProcess[] = [];

  spawn(args: string[], netns?: string): PlkitProcess {
    const p = new PlkitProcess(args, netns);
    this.procs.push(p);
    return p;
  }

  folder(name: string): string {
    const d = join(this.dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.procs.splice(0).map((p) => p.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Dataway {
  url: string;
  /** The URL the agents upload to and pull from. */
  writeUrl: string;
  db: string;
  proc: PlkitProcess;
}

/** Where a process runs: its listen address, and its network namespace (absent: this one). */
export interface Placement {
  host?: string;
  netns?: string;
}

/** The local DataWay, serving `script` as the remote `logging/nginx.p`. */
export async function startDataway(lab: Lab, script = NGINX_SCRIPT, at: Placement = {}): Promise<Dataway> {
  const scripts = lab.folder('dataway-scripts');
  mkdirSync(join(scripts, 'logging'), { recursive: true });
  writeFileSync(join(scripts, 'logging', 'nginx.p'), script);
  const port = await freePort();
  const db = join(lab.folder('dataway'), 'dw.db');
  const proc = lab.spawn([
    'dataway',
    '--listen',
    `${at.host ?? '127.0.0.1'}:${port}`,
    '--db',
    db,
    '--scripts',
    scripts,
    '--token',
    TOKEN,
  ]);
  const [, url] = await proc.waitFor(/listening on (http:\/\/[\d.:]+)/);
  return { url: url!, writeUrl: `${url}?token=${TOKEN}`, db, proc };
}

/** One `plkit run` install: a workdir with its datakit.conf, restartable on the same port and data. */
export class Node {
  readonly name: string;
  readonly workdir: string;
  readonly port: number;
  readonly url: string;
  proc: PlkitProcess | null = null;
  readonly #lab: Lab;
  readonly #netns: string | undefined;

  constructor(
    lab: Lab,
    name: string,
    port: number,
    conf: string,
    inputs: Record<string, string> = {},
    at: Placement = {},
  ) {
    this.#lab = lab;
    this.#netns = at.netns;
    this.name = name;
    this.port = port;
    this.url = `http://${at.host ?? '127.0.0.1'}:${port}`;
    this.workdir = lab.folder(name);
    mkdirSync(join(this.workdir, 'conf.d'), { recursive: true });
    writeFileSync(join(this.workdir, 'conf.d', 'datakit.conf'), conf);
    for (const [file, text] of Object.entries(inputs))
      writeFileSync(join(this.workdir, 'conf.d', file), text);
  }

  /** Start and wait until the API answers and the remote nginx.p is loaded. */
  async start(): Promise<this> {
    this.proc = this.#lab.spawn(['run', '--workdir', this.workdir], this.#netns);
    await this.proc.waitFor(/HTTP API http/, 20_000);
    await until(
      `${this.name} to load the remote nginx.p`,
      async () => {
        const res = await fetch(`${this.url}/v1/pipeline/scripts`);
        const body = (await res.json()) as { content: { scripts: { namespace: string; name: string }[] } };
        return body.content.scripts.some((s) => s.namespace === 'remote' && s.name === 'nginx.p')
          ? true
          : undefined;
      },
      15_000,
    );
    return this;
  }

  async kill(): Promise<void> {
    await this.proc?.kill();
  }

  async stop(): Promise<number | null> {
    return (await this.proc?.stop()) ?? null;
  }

  get alive(): boolean {
    return this.proc?.alive ?? false;
  }
}

export interface ProcessorOptions {
  /** `[global_host_tags]` key that marks the points this processor handled. */
  mark: string;
  /** `[http_api] request_rate_limit` (0 = off). */
  rateLimit?: number;
  /** `[inputs.ploffload.storage]`: cache requests on disk before answering. */
  storage?: boolean;
}

export async function processorNode(
  lab: Lab,
  name: string,
  dw: Dataway,
  o: ProcessorOptions,
  at: Placement = {},
): Promise<Node> {
  const port = await freePort();
  const storage = o.storage
    ? `  [inputs.ploffload.storage]\n    path = "${join(lab.dir, name, 'ploffload')}"\n    capacity = 256\n`
    : '';
  const conf = `[http_api]
  listen = "${at.host ?? '127.0.0.1'}:${port}"
  request_rate_limit = ${o.rateLimit ?? 0}.0
[dataway]
  urls = ["${dw.writeUrl}"]
[global_host_tags]
  ${o.mark} = "${name}"
[pipeline]
  remote_pull_interval = "1s"
`;
  return new Node(lab, name, port, conf, { 'ploffload.conf': `[inputs.ploffload]\n${storage}` }, at);
}

export interface AgentOptions {
  receiver: 'ploffload' | 'datakit-http';
  addresses: string[];
  /** `[pipeline.offload]` keys over the test defaults (values as TOML text). */
  offload?: Record<string, string>;
  /** Use this port (e.g. to point an address at the agent itself). */
  port?: number;
}

export async function agentNode(
  lab: Lab,
  name: string,
  dw: Dataway,
  o: AgentOptions,
  at: Placement = {},
): Promise<Node> {
  const port = o.port ?? (await freePort());
  const offload: Record<string, string> = {
    receiver: JSON.stringify(o.receiver),
    addresses: `[${o.addresses.map((a) => JSON.stringify(a)).join(', ')}]`,
    flush_interval: '"20ms"',
    health_check_interval: '"500ms"',
    timeout: '"3s"',
    ...o.offload,
  };
  const conf = `[http_api]
  listen = "${at.host ?? '127.0.0.1'}:${port}"
  request_rate_limit = 0.0
[dataway]
  urls = ["${dw.writeUrl}"]
[global_host_tags]
  agent = "${name}"
[pipeline]
  remote_pull_interval = "1s"
  [pipeline.offload]
${Object.entries(offload)
  .map(([k, v]) => `    ${k} = ${v}\n`)
  .join('')}`;
  return new Node(lab, name, port, conf, {}, at);
}

/** Line protocol of the points `ids`: name nginx, the id in the message and in the time. */
export function lines(ids: readonly number[]): string {
  const out: string[] = [];
  for (const id of ids) {
    const code = id % 10 === 0 ? 503 : 200;
    out.push(`nginx,src=e2e message="id=${id} GET /api/orders/${id} ${code}" ${BASE_NS + BigInt(id)}`);
  }
  return out.join('\n');
}

export interface SendReport {
  /** Ids of requests answered 200. */
  acked: Set<number>;
  /** Requests answered something else (and retried when `retry` is on). */
  refused: number;
  /** Requests that failed in transport (agent down). */
  transport: number;
}

export interface SendOptions {
  /** Send ids 0 … total - 1 (or `ids`). */
  total: number;
  ids?: readonly number[];
  perRequest: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Retry a refused or failed request until it is acknowledged (a well-behaved sender). */
  retry?: boolean;
  /** Called after each acknowledged request with the count so far. */
  onAck?: (ackedPoints: number) => void | Promise<void>;
  /** Give up retrying after this long (ms). */
  deadlineMs?: number;
  /** The agent's URL, read at each request (it may be restarted on the same port). */
  url: () => string;
  /** Pace: request k starts no earlier than k × perRequest / ratePerSec seconds after the start. */
  ratePerSec?: number;
}

/** Write `total` points to the agent's `/v1/write/logging` in requests of `perRequest`. */
export async function sendPoints(o: SendOptions): Promise<SendReport> {
  const report: SendReport = { acked: new Set(), refused: 0, transport: 0 };
  const t0 = Date.now();
  const deadline = t0 + (o.deadlineMs ?? 60_000);
  let next = 0;
  const lane = async () => {
    for (;;) {
      const from = next;
      if (from >= o.total) return;
      next = Math.min(o.total, from + o.perRequest);
      const to = next;
      if (o.ratePerSec !== undefined) {
        const wait = t0 + (from / o.ratePerSec) * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const batch = o.ids ? o.ids.slice(from, to) : range(to - from).map((i) => from + i);
      const body = lines(batch);
      for (;;) {
        let ok = false;
        try {
          const res = await fetch(`${o.url()}/v1/write/logging`, { method: 'POST', body });
          await res.arrayBuffer();
          if (res.status === 200) ok = true;
          else report.refused++;
        } catch {
          report.transport++;
        }
        if (ok) {
          for (const id of batch) report.acked.add(id);
          await o.onAck?.(report.acked.size);
          break;
        }
        if (!o.retry || Date.now() > deadline) break;
        await sleep(100);
      }
    }
  };
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < (o.concurrency ?? 4); i++) lanes.push(lane());
  await Promise.all(lanes);
  return report;
}

export interface StoredPoint {
  name: string;
  time_ns: string;
  tags: Record<string, string>;
  fields: Record<string, Record<string, unknown>>;
}

/** Every nginx logging point the DataWay stored. */
export function readStored(db: string): StoredPoint[] {
  const s = new PointStore(db, { readOnly: true });
  try {
    return s.received('logging', 'nginx').map((r) => JSON.parse(r.text) as StoredPoint);
  } finally {
    s.close();
  }
}

export async function storedCount(dw: Dataway): Promise<number> {
  const res = await fetch(`${dw.url}/v1/query/count?category=logging&name=nginx`);
  return ((await res.json()) as { count: number }).count;
}

/** Wait until the DataWay holds at least `n` nginx points and the count stopped moving. */
export async function waitStored(dw: Dataway, n: number, ms = 30_000): Promise<number> {
  await until(
    `${n} points in the DataWay`,
    async () => ((await storedCount(dw)) >= n ? true : undefined),
    ms,
    100,
  );
  // Late duplicates: give the count a moment to settle before the caller counts.
  let last = await storedCount(dw);
  for (;;) {
    await sleep(400);
    const c = await storedCount(dw);
    if (c === last) return c;
    last = c;
  }
}

export interface Census {
  /** Distinct ids stored. */
  distinct: number;
  /** Extra copies of ids stored more than once. */
  duplicates: number;
  /** Of those, copies made by the same processor as the first (a re-upload or a dedupe miss, not a re-route). */
  duplicatesSameProcessor: number;
  /** Ids of `expected` that are missing. */
  missing: number[];
  /** Points per processor (by the mark tag's value). */
  byProcessor: Record<string, number>;
  /** Points whose fields were not parsed by the remote script. */
  unparsed: number;
}

/** What the DataWay holds, against the ids that should be there. */
export function census(points: StoredPoint[], expected: Iterable<number>, mark: string): Census {
  const seen = new Map<number, number>();
  const firstBy = new Map<number, string>();
  let same = 0;
  const byProcessor: Record<string, number> = {};
  let unparsed = 0;
  for (const p of points) {
    const id = Number(BigInt(p.time_ns) - BASE_NS);
    const parsedId = p.fields.id?.i;
    const code = p.fields.code?.i;
    const ok =
      p.fields.parsed?.b === true &&
      parsedId === String(id) &&
      code === (id % 10 === 0 ? '503' : '200') &&
      p.fields.status?.s === (id % 10 === 0 ? 'error' : 'info') &&
      p.fields.path?.s === `/api/orders/${id}` &&
      p.tags.src === 'e2e';
    if (!ok) unparsed++;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const who = p.tags[mark] ?? '(none)';
    const first = firstBy.get(id);
    if (first === undefined) firstBy.set(id, who);
    else if (first === who) same++;
    byProcessor[who] = (byProcessor[who] ?? 0) + 1;
  }
  let duplicates = 0;
  for (const c of seen.values()) duplicates += c - 1;
  const missing: number[] = [];
  for (const id of expected) if (!seen.has(id)) missing.push(id);
  return { distinct: seen.size, duplicates, duplicatesSameProcessor: same, missing, byProcessor, unparsed };
}

export function range(n: number): number[] {
  const a: number[] = new Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Scrape one Prometheus metric's samples from a plkit process (sum over label sets matching `labels`). */
export async function metric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const l = m[2] ?? '';
    let match = true;
    for (const [k, v] of Object.entries(labels)) if (!l.includes(`${k}="${v}"`)) match = false;
    if (match) sum += Number(m[3]);
  }
  return sum;
}
