/**
 * The line-protocol forwarder (`forwardLineProtocol`) on the 1,000 nginx
 * logging points of shared/bench/codec/nginx1000.lp, with one added tag
 * `host`, against the ordinary decode + encode it replaces. Prints one
 * JSON line, in ns per point (targets: protobuf <= 400, LP <= 250).
 *
 * `…_one_sender` is the same lines as one application sends them to the
 * agent: one `host` tag on every line, and a global tag the agent adds
 * (missing from every line). The forwarder copies a repeated measurement
 * and tags from the previous point, and the added tag from the arena.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody, encodePoints, forwardLineProtocol } from '../../src/point/codec/index.js';
import type { ForwardOptions } from '../../src/point/codec/lp-forward.js';
import { bestRate, sharedDir } from '../support.js';

const lp = readFileSync(join(sharedDir(), 'bench/codec/nginx1000.lp'));
const nowNs = 1_717_200_000_000_000_000n;
const base = {
  precision: '',
  nowNs,
  addTags: [['host', 'bench-host']] as const,
  accept: (m: string) => m !== '',
};
const lpOpts: ForwardOptions = { ...base, encoding: 'lp' };
const pbOpts: ForwardOptions = { ...base, encoding: 'protobuf' };
const decodeOpts = { category: 'logging' as const, precision: '', now: nowNs };

const oneSender = Buffer.from(lp.toString('latin1').replace(/host=web-\d+/g, 'host=web-0'), 'latin1');
const senderAdd = { addTags: [['region', 'eu-west-1.bench.internal']] as const };
const pbSender: ForwardOptions = { ...pbOpts, ...senderAdd };
const lpSender: ForwardOptions = { ...lpOpts, ...senderAdd };

const n = forwardLineProtocol(lp, lpOpts)?.count ?? 0;
if (forwardLineProtocol(oneSender, pbSender)?.count !== n)
  throw new Error('bench input (one sender) not forwarded');
if (n === 0 || forwardLineProtocol(lp, pbOpts)?.count !== n) throw new Error('bench input not forwarded');

/** The ordinary path: decode, add the tag, encode. */
function ordinary(encoding: 'lp' | 'protobuf'): void {
  const points = decodeBody(lp, undefined, decodeOpts).points;
  for (let i = 0; i < points.length; i++) {
    const t = points[i]!.tags;
    if (!t.has('host')) t.set('host', 'bench-host');
  }
  encodePoints(points, encoding);
}

const nsPerPoint = (rate: number) => Math.round((1e9 / rate) * 10) / 10;
const r = {
  bench: 'lp-forward',
  points: n,
  body_bytes: lp.length,
  forward_lp: nsPerPoint(bestRate(() => forwardLineProtocol(lp, lpOpts), n)),
  forward_protobuf: nsPerPoint(bestRate(() => forwardLineProtocol(lp, pbOpts), n)),
  forward_lp_one_sender: nsPerPoint(bestRate(() => forwardLineProtocol(oneSender, lpSender), n)),
  forward_protobuf_one_sender: nsPerPoint(bestRate(() => forwardLineProtocol(oneSender, pbSender), n)),
  ordinary_lp: nsPerPoint(bestRate(() => ordinary('lp'), n)),
  ordinary_protobuf: nsPerPoint(bestRate(() => ordinary('protobuf'), n)),
  unit: 'ns/point',
  target: { forward_lp: 250, forward_protobuf: 400 },
};
console.log(JSON.stringify(r));
