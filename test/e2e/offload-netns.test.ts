/**
 * Pipeline Offload across separate hosts (issue 8): the agent and two
 * processors each in a network namespace of their own, linked by a bridge
 * to this namespace, where the local DataWay listens. What loopback cannot
 * show: processors listening on a real address (no loopback warning), and
 * a processor whose cable is pulled mid-stream — nothing refuses, packets
 * just vanish — so the agent must time out, re-route, probe and re-admit;
 * the cut-off processor cannot reach the DataWay either and uploads what it
 * holds once it is back. Runs as root only; skips cleanly elsewhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Network } from './netns.js';
import {
  agentNode,
  BUILT,
  census,
  Lab,
  metric,
  processorNode,
  range,
  readStored,
  sendPoints,
  sleep,
  startDataway,
  until,
  waitStored,
} from './offload-harness.js';

const why = BUILT ? Network.unavailable() : 'run npm run build first';

let lab: Lab | null = null;
let net: Network | null = null;
afterEach(async () => {
  await lab?.cleanup();
  lab = null;
  net?.destroy();
  net = null;
});

describe.skipIf(why !== null)(
  `pipeline offload across hosts${why === null ? '' : ` (skipped: ${why})`}`,
  () => {
    it('a processor cut off mid-stream: re-routed after the timeout, re-admitted when back; nothing lost or doubled', async () => {
      net = Network.create(['agent', 'proc-a', 'proc-b']);
      lab = new Lab();
      const dw = await startDataway(lab, undefined, { host: net.gateway });
      const on = (name: string) => ({ host: net!.host(name).ip, netns: net!.host(name).netns });
      const [a, b] = await Promise.all([
        processorNode(lab, 'proc-a', dw, { mark: 'handled_by', storage: true }, on('proc-a')),
        processorNode(lab, 'proc-b', dw, { mark: 'handled_by', storage: true }, on('proc-b')),
      ]);
      await Promise.all([a.start(), b.start()]);
      const agent = await agentNode(
        lab,
        'agent',
        dw,
        { receiver: 'ploffload', addresses: [a.url, b.url] },
        on('agent'),
      );
      await agent.start();
      // Real addresses: no "other hosts cannot offload to it" warning.
      expect(a.proc!.output).not.toMatch(/loopback address/);

      const N = 16_000;
      const sentToA = () => metric(agent.url, 'plkit_offload_sent_batches_total', { remote: a.url.slice(7) });
      let outage: Promise<void> | null = null;
      let atRestore = -1;
      const sent = await sendPoints({
        total: N,
        perRequest: 200,
        concurrency: 4,
        ratePerSec: 2000,
        url: () => agent.url,
        onAck: (n) => {
          if (outage === null && n >= N * 0.2) {
            net!.cut('proc-a');
            outage = sleep(4000).then(async () => {
              net!.restore('proc-a');
              atRestore = await sentToA();
            });
          }
        },
      });
      await outage;
      expect(sent.acked.size).toBe(N);
      expect(sent.refused + sent.transport).toBe(0);
      await waitStored(dw, N, 90_000);
      await until('proc-a to be re-admitted and given work', async () =>
        (await sentToA()) > atRestore ? true : undefined,
      );
      const c = census(readStored(dw.db), range(N), 'handled_by');
      const failures = await metric(agent.url, 'plkit_offload_request_failures_total', {
        remote: a.url.slice(7),
      });
      console.log(
        JSON.stringify({
          scenario: 'processor cut off (netns)',
          ...c,
          missing: c.missing.length,
          failures_on_a: failures,
          batches_to_a_at_restore: atRestore,
          batches_to_a_at_end: await sentToA(),
        }),
      );
      expect(c.missing).toEqual([]);
      expect(c.duplicates).toBe(0);
      expect(c.unparsed).toBe(0);
      expect(failures).toBeGreaterThan(0);
      expect(await metric(agent.url, 'plkit_offload_receiver_healthy')).toBe(2);
    }, 150_000);
  },
);
