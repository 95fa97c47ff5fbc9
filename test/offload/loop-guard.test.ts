import { describe, expect, it } from 'vitest';
import { Offloader, refuseSelfAddresses, Target } from '../../src/offload/index.js';
import { tempDir } from './harness.js';

const DNS: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  myhost: ['10.1.2.3'],
  other: ['10.9.9.9'],
  mapped: ['::ffff:10.1.2.3'],
};
const env = {
  lookup: async (h: string) => {
    const r = DNS[h];
    if (r === undefined) throw new Error(`ENOTFOUND ${h}`);
    return r;
  },
  interfaceAddresses: () => ['127.0.0.1', '::1', '10.1.2.3', 'fe80::1'],
};

const targetOf = (address: string) => new Target(0, address, '/v1/write/logging');

describe('loop refusal', () => {
  it.each([
    ['localhost:9529', 'http://localhost:9529', true],
    ['localhost:9529', 'http://127.0.0.1:9529', true],
    ['localhost:9529', 'http://[::1]:9529', true],
    ['localhost:9529', 'http://0.0.0.0:9529', true],
    ['localhost:9529', 'http://localhost:9530', false],
    ['localhost:9529', 'http://myhost:9529', false],
    ['0.0.0.0:9529', 'http://myhost:9529', true],
    ['0.0.0.0:9529', 'http://mapped:9529', true],
    ['0.0.0.0:9529', 'http://10.1.2.3:9529/some/path', true],
    ['0.0.0.0:9529', 'http://127.0.0.5:9529', true],
    ['0.0.0.0:9529', 'http://other:9529', false],
    ['0.0.0.0:9529', 'http://unknown-host:9529', false],
    ['[::]:9529', 'http://[::1]:9529', true],
    [':80', 'http://myhost', true],
    [':443', 'https://myhost', true],
    [':443', 'http://myhost', false],
    ['10.1.2.3:9529', 'http://127.0.0.1:9529', false],
    ['10.1.2.3:9529', 'http://myhost:9529', true],
    ['/var/run/plkit.sock', 'http://localhost:9529', false],
    ['', 'http://localhost:9529', false],
  ])('listen %s, address %s → refused: %s', async (listen, address, refused) => {
    const p = refuseSelfAddresses([targetOf(address)], listen, env);
    if (refused) {
      await expect(p).rejects.toMatchObject({ code: 'PLK_ERR_OFFLOAD_LOOP', permanent: true });
      await expect(p).rejects.toThrow(address);
    } else await expect(p).resolves.toBeUndefined();
  });

  it('Offloader.start() refuses its own API address with a clear error', async () => {
    const off = new Offloader({
      receiver: 'datakit-http',
      addresses: ['http://10.9.9.9:9529', 'http://localhost:45678'],
      spoolPath: `${tempDir()}/spool`,
      selfListen: '127.0.0.1:45678',
    });
    await expect(off.start()).rejects.toThrow(/"http:\/\/localhost:45678" is this agent's own HTTP API/);
    await off.stop();
  });
});
