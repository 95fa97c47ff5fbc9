/**
 * Pipeline Offload against a misbehaving processor (issue 8, proof 5): a
 * fault-injecting proxy in this test process stands in front of a real
 * processor and, for a few requests, answers 500, 429 with Retry-After,
 * 413 for large bodies, hangs past the agent's timeout, or closes the
 * connection mid-body; otherwise it forwards to the processor. A second,
 * healthy processor takes what is re-routed. Every phase sends its own ids
 * and asserts on what the DataWay stored.
 *
 * One topology serves all phases (starting four processes per phase would
 * cost more than the phases themselves); each phase waits until the agent
 * sees both processors healthy again before it starts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentNode,
  BUILT,
  census,
  type Dataway,
  Lab,
  metric,
  NOT_BUILT_REASON,
  type Node,
  processorNode,
  range,
  readStored,
  type StoredPoint,
  sendPoints,
  startDataway,
  until,
  waitStored,
} from './offload-harness.js';

type Fault = 'none' | '500' | '429' | '413' | 'hang' | 'close' | 'close-after-forward';

/** Forwards to `upstream`; injects `fault` into the next `remaining` write requests. */
class FaultProxy {
  fault: Fault = 'none';
  remaining = 0;
  faulted = 0;
  forwarded = 0;
  readonly #upstream: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  url = '';

  constructor(upstream: string) {
    this.#upstream = upstream;
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }

  inject(fault: Fault, times: number): void {
    this.fault = fault;
    this.remaining = times;
    this.faulted = 0;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const isWrite = req.method === 'POST';
    const fault = isWrite && this.remaining > 0 ? this.fault : 'none';
    // Counted when the request comes in, so concurrent requests do not overshoot `times`.
    if (fault !== 'none' && fault !== '413') this.#took();
    if (fault === 'close') {
      // Mid-body: drop the connection at the first bytes of the body.
      req.once('data', () => req.socket.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    switch (fault) {
      case '500':
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error_code":"datakit.internal"}');
        return;
      case '429':
        res.writeHead(429, { 'Retry-After': '1' }).end('{"error_code":"datakit.reachMaxAPILimit"}');
        return;
      case '413':
        // Large bodies only: halves below the limit go through.
        if (body.length > 4096) {
          this.faulted++;
          res.writeHead(413).end('{"error_code":"datakit.requestEntityTooLarge"}');
          return;
        }
        break;
      case 'hang':
        return; // never answered; the socket is destroyed at close()
      default:
        break;
    }
    const up = await fetch(this.#upstream + (req.url ?? '/'), {
      method: req.method,
      headers: forwardable(req),
      body: isWrite ? body : undefined,
    });
    const answer = Buffer.from(await up.arrayBuffer());
    if (isWrite) this.forwarded++;
    if (fault === 'close-after-forward') {
      // The processor has the batch; the agent never hears so.
      req.socket.destroy();
      return;
    }
    res.writeHead(up.status, { 'Content-Type': up.headers.get('content-type') ?? 'application/json' });
    res.end(answer);
  }

  #took(): void {
    this.remaining--;
    this.faulted++;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

function forwardable(req: IncomingMessage): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v !== 'string') continue;
    if (k === 'content-type' || k.startsWith('x-plkit-') || k === 'user-agent' || k === 'authorization')
      h[k] = v;
  }
  return h;
}

const PHASE_POINTS = 2_000;

let lab: Lab | null = null;
let proxy: FaultProxy | null = null;
let dw: Dataway;
let agent: Node;
let phase = 0;

beforeAll(async () => {
  if (!BUILT) return;
  lab = new Lab();
  dw = await startDataway(lab);
  const [a, b] = await Promise.all([
    processorNode(lab, 'proc-a', dw, { mark: 'handled_by' }),
    processorNode(lab, 'proc-b', dw, { mark: 'handled_by' }),
  ]);
  await Promise.all([a.start(), b.start()]);
  proxy = new FaultProxy(a.url);
  await proxy.start();
  agent = await agentNode(lab, 'agent', dw, {
    receiver: 'ploffload',
    addresses: [proxy.url, b.url],
    offload: { timeout: '"1s"' },
  });
  await agent.start();
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await lab?.cleanup();
});

/** Send one phase's ids (their own range) and census them in the DataWay. */
async function runPhase(fault: Fault, times: number) {
  // The previous phase may have ejected or throttled the proxy: start from a healthy fleet.
  await until('both receivers healthy', async () =>
    (await metric(agent.url, 'plkit_offload_receiver_healthy')) === 2 ? true : undefined,
  );
  await new Promise((r) => setTimeout(r, 1100)); // past any Retry-After of the last phase
  const base = ++phase * 100_000;
  const ids = range(PHASE_POINTS).map((i) => base + i);
  const before = await storedTotal();
  proxy!.inject(fault, times);
  const sent = await sendPoints({
    total: ids.length,
    ids,
    perRequest: 200,
    concurrency: 4,
    url: () => agent.url,
    deadlineMs: 20_000,
  });
  expect(sent.acked.size).toBe(ids.length);
  await waitStored(dw, before + ids.length, 30_000);
  const mine = readStored(dw.db).filter((p: StoredPoint) => idOf(p) >= base && idOf(p) < base + 100_000);
  const c = census(mine, ids, 'handled_by');
  const out = { fault, faulted: proxy!.faulted, ...c, missing: c.missing.length };
  console.log(JSON.stringify(out));
  return c;
}

/** The fault was exercised at least once and at most `max` times (how many requests the proxy sees before the agent ejects or backs off that processor depends on timing). */
function expectFaulted(max: number): void {
  expect(proxy!.faulted).toBeGreaterThanOrEqual(1);
  expect(proxy!.faulted).toBeLessThanOrEqual(max);
}

const idOf = (p: StoredPoint) => Number(p.fields.id?.i ?? -1);

async function storedTotal(): Promise<number> {
  return (
    (await (await fetch(`${dw.url}/v1/query/count?category=logging&name=nginx`)).json()) as { count: number }
  ).count;
}

describe.skipIf(!BUILT)(
  `pipeline offload against a misbehaving processor${BUILT ? '' : NOT_BUILT_REASON}`,
  () => {
    it('500: the processor is ejected, its batches go to the other one at once; nothing lost or doubled', async () => {
      const f0 = await metric(agent.url, 'plkit_offload_request_failures_total', { reason: 'http_5xx' });
      const c = await runPhase('500', 3);
      expectFaulted(3);
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(c.unparsed).toBe(0);
      expect(await metric(agent.url, 'plkit_offload_request_failures_total')).toBeGreaterThan(f0);
      expect(await metric(agent.url, 'plkit_offload_dead_letter_points_total')).toBe(0);
    });

    it('429 with Retry-After: backed off, not a failure; batches go elsewhere meanwhile', async () => {
      const failures = await metric(agent.url, 'plkit_offload_request_failures_total');
      const c = await runPhase('429', 3);
      expectFaulted(3);
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(await metric(agent.url, 'plkit_offload_throttled_total')).toBeGreaterThanOrEqual(1);
      expect(await metric(agent.url, 'plkit_offload_request_failures_total')).toBe(failures);
    });

    it('413 for large bodies: batches are split in halves and delivered', async () => {
      const c = await runPhase('413', 1_000_000);
      const refused = proxy!.faulted;
      proxy!.inject('none', 0);
      expect(refused).toBeGreaterThan(0);
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(c.unparsed).toBe(0);
      expect(await metric(agent.url, 'plkit_offload_split_batches_total')).toBeGreaterThan(0);
      expect(await metric(agent.url, 'plkit_offload_dead_letter_points_total')).toBe(0);
    });

    it('hanging past the timeout: the batch is re-routed after the timeout; nothing lost or doubled', async () => {
      const c = await runPhase('hang', 2);
      expectFaulted(2);
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(
        await metric(agent.url, 'plkit_offload_request_failures_total', { reason: 'timeout' }),
      ).toBeGreaterThanOrEqual(2);
    });

    it('connection closed mid-body: re-routed; nothing lost or doubled', async () => {
      const c = await runPhase('close', 3);
      expectFaulted(3);
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(
        await metric(agent.url, 'plkit_offload_request_failures_total', { reason: 'transport' }),
      ).toBeGreaterThanOrEqual(3);
    });

    it('answer lost after the processor took the batch: nothing lost, and the re-routed copy is stored once', async () => {
      const c = await runPhase('close-after-forward', 2);
      expectFaulted(2);
      expect(c.missing).toEqual([]);
      expect(c.unparsed).toBe(0);
      // Both processors process the batch; both upload it under the package id
      // derived from its batch id, and DataWay keeps one copy.
      expect(c.duplicates).toBe(0);
    });
  },
);
