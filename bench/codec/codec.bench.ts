/**
 * Codec throughput on the 1,000 nginx logging points of
 * shared/bench/codec/nginx1000.lp, one core, against DataKit's figures in
 * shared/bench/baseline.json and the JSON.parse/JSON.stringify floor.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody, encodePoints } from '../../src/point/codec/index.js';
import { bestRate, sharedDir } from '../support.js';

const shared = sharedDir();
const lp = readFileSync(join(shared, 'bench/codec/nginx1000.lp'));
const baseline = JSON.parse(readFileSync(join(shared, 'bench/baseline.json'), 'utf8')).codec
  .datakit_pts_per_s;
const opts = { category: 'logging' as const, precision: '', now: 0n };

const points = decodeBody(lp, 'application/line-protocol', opts).points;
const n = points.length;
const pb = encodePoints(points, 'protobuf') as Uint8Array;
const json = Buffer.from(encodePoints(points, 'json') as string | Uint8Array);
const pbjson = Buffer.from(encodePoints(points, 'pbjson') as string | Uint8Array);
const jsonText = json.toString('utf8');
const jsonObj = JSON.parse(jsonText);

const r = {
  bench: 'codec',
  points: n,
  lp_decode: bestRate(() => decodeBody(lp, 'application/line-protocol', opts), n),
  lp_encode: bestRate(() => encodePoints(points, 'lp'), n),
  protobuf_decode: bestRate(() => decodeBody(pb, 'application/protobuf; proto=com.guance.Point', opts), n),
  protobuf_encode: bestRate(() => encodePoints(points, 'protobuf'), n),
  json_decode: bestRate(() => decodeBody(json, 'application/json', opts), n),
  json_encode: bestRate(() => encodePoints(points, 'json'), n),
  pbjson_decode: bestRate(() => decodeBody(pbjson, 'application/pbjson; proto=com.guance.Point', opts), n),
  pbjson_encode: bestRate(() => encodePoints(points, 'pbjson'), n),
  floor_json_parse: bestRate(() => JSON.parse(json.toString('utf8')), n),
  floor_json_stringify: bestRate(() => JSON.stringify(jsonObj), n),
};
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
console.log(
  JSON.stringify({
    ...r,
    unit: 'points/s',
    vs_datakit: {
      lp_decode: ratio(r.lp_decode, baseline.lp_decode),
      lp_encode: ratio(r.lp_encode, baseline.lp_encode),
      protobuf_decode: ratio(r.protobuf_decode, baseline.protobuf_decode),
      protobuf_encode: ratio(r.protobuf_encode, baseline.protobuf_encode),
    },
    lp_decode_vs_json_parse_floor: ratio(r.floor_json_parse, r.lp_decode),
  }),
);
