/**
 * Offload to `https://` processors: the CA from `tls_ca` is trusted, an
 * unknown certificate is refused (the batch is kept, never sent in the
 * clear), and `tls_insecure_skip_verify` accepts it. The certificate in
 * test/fixtures/tls is a self-signed one made for these tests only.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared.js';
import { makePoints } from './fake-receiver.js';
import { metricValue, offloader, onCleanup } from './harness.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'tls');
const cert = readFileSync(join(FIXTURES, 'cert.pem'), 'utf8');
const key = readFileSync(join(FIXTURES, 'key.pem'), 'utf8');

async function httpsReceiver(): Promise<{ url: string; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server: Server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'Content-Length': 0 }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

describe('offload over TLS', () => {
  it('delivers to a processor whose certificate is signed by tls_ca', async () => {
    const r = await httpsReceiver();
    const { off } = await offloader({ addresses: [r.url], batchSize: 3, tlsCaPem: cert });
    await off.send(makePoints(3));
    expect(r.bodies).toHaveLength(1);
    expect(r.bodies[0]!.toString().split('\n')).toHaveLength(3);
  });

  it('refuses an unknown certificate: the processor is failed over, the points are spooled, nothing goes out', async () => {
    const r = await httpsReceiver();
    const { off, metrics } = await offloader({ addresses: [r.url], batchSize: 3 });
    await off.send(makePoints(3));
    expect(r.bodies).toHaveLength(0);
    expect(off.status().spoolBatches).toBe(1);
    expect(await metricValue(metrics, 'plkit_offload_request_failures_total', { reason: 'transport' })).toBe(
      1,
    );
  });

  it('accepts any certificate with tls_insecure_skip_verify', async () => {
    const r = await httpsReceiver();
    const { off } = await offloader({ addresses: [r.url], batchSize: 3, tlsInsecureSkipVerify: true });
    await off.send(makePoints(3));
    expect(r.bodies).toHaveLength(1);
  });
});
