import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { Metrics } from '../../../src/common/metrics.js';
import { SocketInput } from '../../../src/inputs/logging/socket-input.js';
import { loggingConfig, recordingFeed, until } from './support.js';

const running: SocketInput[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop(1000);
});

async function start(sockets: string[], over: Parameters<typeof loggingConfig>[0] = {}) {
  const rec = recordingFeed();
  const input = new SocketInput({
    config: loggingConfig({ sockets, ...over }),
    feed: rec.feed,
    metrics: new Metrics(),
    logger: silentLogger(),
    flushMs: 10,
  });
  running.push(input);
  const addresses = await input.start();
  return { addresses, ...rec };
}

function port(addr: string): number {
  return Number(addr.slice(addr.lastIndexOf(':') + 1));
}

describe('logging input: sockets', () => {
  it('TCP: one point per line, with the socket tags and message_length', async () => {
    const { addresses, uploaded } = await start(['tcp://127.0.0.1:0'], { tags: { env: 'prod' } });
    const c = net.connect(port(addresses[0]!), '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    c.write('hello\nwörld\n\nlast without newline');
    c.end();
    await until(() => uploaded.length === 3);
    expect(uploaded.map((p) => p.fields.get('message'))).toEqual(['hello', 'wörld', 'last without newline']);
    const p = uploaded[1]!;
    expect(Object.fromEntries(p.tags)).toEqual({
      log_source: 'socket',
      collector_source_ip: '127.0.0.1',
      service: 'app',
      env: 'prod',
      host: 'h1',
    });
    expect(p.fields.get('message_length')).toBe(6n);
    expect(p.fields.get('status')).toBe('info');
  });

  it('TCP with multiline: lines join per connection; a bare newline adds nothing, a blank line an empty one', async () => {
    const { addresses, uploaded } = await start(['tcp://127.0.0.1:0'], {
      multilineMatch: '^\\S',
      enableMultiline: true,
    });
    const c = net.connect(port(addresses[0]!), '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    c.write('boom\n  at a\n\n  \r\n  at b\nnext\n');
    c.end();
    await until(() => uploaded.length === 2);
    expect(uploaded.map((p) => p.fields.get('message'))).toEqual(['boom\n  at a\n\n  at b', 'next']);
  });

  it('UDP: each datagram split on newlines', async () => {
    const { addresses, uploaded } = await start(['udp://127.0.0.1:0']);
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.send('a\nb\n', port(addresses[0]!), '127.0.0.1', () => r()));
    await new Promise<void>((r) => s.send('c', port(addresses[0]!), '127.0.0.1', () => r()));
    s.close();
    await until(() => uploaded.length === 3);
    expect(uploaded.map((p) => p.fields.get('message'))).toEqual(['a', 'b', 'c']);
  });

  it('a port that cannot be opened fails the start naming the socket', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    await expect(start([`tcp://127.0.0.1:${taken}`])).rejects.toThrow(
      new RegExp(`tcp://127.0.0.1:${taken}.*EADDRINUSE`),
    );
    blocker.close();
  });
});
