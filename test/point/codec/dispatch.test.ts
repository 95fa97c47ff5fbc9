import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  decodeBody,
  encodePoints,
  encodingOfContentType,
  type WireEncoding,
} from '../../../src/point/codec/index.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';

const NOW = 1717200000000000000n;
const opts = { category: 'logging' as const, now: NOW };

describe('encodingOfContentType', () => {
  it.each([
    [undefined, 'lp'],
    ['', 'lp'],
    ['application/line-protocol', 'lp'],
    ['text/plain', 'lp'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['text/x-application/json-ish', 'json'],
    ['application/pbjson; proto=com.guance.Point', 'pbjson'],
    ['Application/PBJSON', 'pbjson'],
    ['application/protobuf; proto=com.guance.Point', 'protobuf'],
    ['application/protobuf;proto=com.guance.Point', 'protobuf'],
    ['application/x-protobuf', 'protobuf'],
    ['application/octet-stream', 'lp'],
  ])('%j is read as %s', (ct, want) => {
    expect(encodingOfContentType(ct)).toBe(want);
  });

  it('names DataKit’s Content-Type for each encoding, which maps back to it', () => {
    for (const enc of Object.keys(CONTENT_TYPES) as WireEncoding[]) {
      expect(encodingOfContentType(CONTENT_TYPES[enc])).toBe(enc);
    }
  });
});

describe('decodeBody / encodePoints', () => {
  const pt = new Point(
    'nginx',
    new Map([['host', 'web-1']]),
    new Map<string, FieldValue>([
      ['message', 'GET / 200'],
      ['status', 'info'],
    ]),
    1704067200000000000n,
  );

  it.each(['lp', 'json', 'pbjson', 'protobuf'] as WireEncoding[])(
    '%s: what encodePoints writes, decodeBody reads back',
    (enc) => {
      const out = encodePoints([pt, pt], enc);
      expect(typeof out === 'string').toBe(enc !== 'protobuf');
      const body = typeof out === 'string' ? Buffer.from(out) : out;
      const res = decodeBody(body, CONTENT_TYPES[enc], opts);
      expect(res.errors).toEqual([]);
      expect(res.points.map((p) => toTyped(p))).toEqual([toTyped(pt), toTyped(pt)]);
    },
  );

  it('sends each error to the decoder of its type', () => {
    const bad = Buffer.from('{');
    expect(decodeBody(bad, 'application/json', opts).errors[0]!.code).toBe('datakit.invalidJsonPoint');
    expect(decodeBody(bad, CONTENT_TYPES.pbjson, opts).errors[0]!.code).toBe('datakit.invalidJsonPoint');
    expect(decodeBody(Buffer.from([0x0a, 0x05]), CONTENT_TYPES.protobuf, opts).errors[0]!.code).toBe(
      'datakit.invalidProtobufPoint',
    );
    expect(decodeBody(bad, undefined, opts).errors[0]!.code).toBe('datakit.invalidLinePoint');
  });
});
