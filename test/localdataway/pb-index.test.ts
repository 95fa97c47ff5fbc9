import { describe, expect, it } from 'vitest';
import { indexPoints } from '../../src/localdataway/body-index.js';
import { indexProtobuf } from '../../src/localdataway/pb-index.js';
import { decodeProtobuf, encodeProtobuf } from '../../src/point/codec/index.js';
import { Point } from '../../src/point/point.js';
import { UInt } from '../../src/point/value.js';

const NOW = 1_700_000_000_000_000_000n;

// A minimal protobuf writer for hand-made bodies (odd field orders, unknown fields, groups).
function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
const len = (field: number, payload: number[]) => [
  ...tag(field, 2),
  ...varint(BigInt(payload.length)),
  ...payload,
];
const str = (field: number, s: string) => len(field, [...Buffer.from(s)]);
const int = (field: number, v: bigint) => [...tag(field, 0), ...varint(v)];
const body = (...points: number[][]) => new Uint8Array(points.flatMap((p) => len(1, p)));
const field = (key: string, value: number[]) => len(2, [...str(1, key), ...value]);

/** What the full decoder (with intake) gives, as an index. */
function decoderIndex(b: Uint8Array) {
  const d = decodeProtobuf(b, { category: 'logging', now: NOW });
  return d.errors.length > 0 ? null : indexPoints(d.points);
}

describe('indexProtobuf', () => {
  const cases: [string, Uint8Array, { name: string; points: number; maxTime: bigint }[] | null][] = [
    ['empty body', new Uint8Array(), []],
    [
      'one point',
      body([...str(1, 'nginx'), ...field('m', str(11, 'x')), ...int(3, 5n)]),
      [{ name: 'nginx', points: 1, maxTime: 5n }],
    ],
    [
      'time 0 and absent time get the receive time',
      body([...str(1, 'a'), ...int(3, 0n)], str(1, 'a')),
      [{ name: 'a', points: 2, maxTime: NOW }],
    ],
    ['negative time', body([...str(1, 'a'), ...int(3, -7n)]), [{ name: 'a', points: 1, maxTime: -7n }]],
    [
      'empty and absent name become __default',
      body(str(1, ''), int(3, 1n)),
      [{ name: '__default', points: 2, maxTime: NOW }],
    ],
    [
      'last name and last time win',
      body([...str(1, 'x'), ...int(3, 9n), ...str(1, 'y'), ...int(3, 4n)]),
      [{ name: 'y', points: 1, maxTime: 4n }],
    ],
    [
      'runs per name in first-seen order, newest time each',
      body(
        [...str(1, 'b'), ...int(3, 3n)],
        [...str(1, 'a'), ...int(3, 8n)],
        [...str(1, 'b'), ...int(3, 6n)],
        [...str(1, 'b'), ...int(3, 2n)],
      ),
      [
        { name: 'b', points: 3, maxTime: 6n },
        { name: 'a', points: 1, maxTime: 8n },
      ],
    ],
    [
      'unknown fields, groups, warns and debugs are walked past',
      new Uint8Array([
        ...int(9, 1n),
        ...len(1, [
          ...tag(7, 3),
          ...int(1, 1n),
          ...tag(7, 4),
          ...str(1, 'n'),
          ...len(4, [...str(1, 'type'), ...str(2, 'msg'), ...int(3, 1n)]),
          ...len(5, str(1, 'debug')),
          ...field('f', [...tag(4, 1), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]),
          ...field('t', [...str(11, 'v'), ...int(8, 1n), ...int(9, 2n), ...str(10, 'unit')]),
          ...field('a', len(7, [...str(1, 'type.googleapis.com/other'), ...len(2, [0xff])])),
          ...field('z', [...tag(15, 5), 1, 2, 3, 4]),
        ]),
      ]),
      [{ name: 'n', points: 1, maxTime: NOW }],
    ],
    [
      'a corrupt array inside Any drops the field, not the body',
      body([
        ...str(1, 'n'),
        ...field(
          'arr',
          len(7, [...str(1, 'type.googleapis.com/point.Array'), ...len(2, [0x0a, 0x05, 0x08])]),
        ),
      ]),
      [{ name: 'n', points: 1, maxTime: NOW }],
    ],
    ['a name intake could trim is left to the decoder', body(str(1, 'n'.repeat(400))), null],
    ['truncated point', body(str(1, 'n')).subarray(0, 3), null],
    ['length past the end', new Uint8Array([0x0a, 0x05, 0x0a, 0x01]), null],
    ['truncated fixed64', body(field('f', [...tag(4, 1), 0, 0, 0])), null],
    ['field number 0', new Uint8Array([0x02, 0x00]), null],
    ['stray end-group', body([...tag(6, 4)]), null],
    ['invalid wire type', body([...tag(6, 7)]), null],
    ['unterminated group', body([...tag(6, 3), ...int(1, 1n)]), null],
    ['truncated Any envelope', body(field('a', len(7, [0x0a, 0x09, 0x41]))), null],
    ['bad varint in a warn', body(len(4, [0x18, 0xff, 0xff])), null],
  ];
  it.each(cases)('%s', (_, b, runs) => {
    const got = indexProtobuf(b, NOW);
    if (runs === null) {
      expect(got).toBeNull();
      return;
    }
    expect(got).toEqual({ points: runs.reduce((n, r) => n + r.points, 0), runs });
    expect(got).toEqual(decoderIndex(b));
  });

  it('agrees with the decoder on mutated bodies: accepted only when the decoder accepts, same index', () => {
    const pts: Point[] = [];
    for (let i = 0; i < 6; i++) {
      pts.push(
        new Point(
          i % 3 === 0 ? '' : `m${i % 2}`,
          new Map([['host', `h${i}`]]),
          new Map<string, Point['fields'] extends Map<string, infer V> ? V : never>([
            ['msg', `line ${i} é`],
            ['n', BigInt(i)],
            ['u', new UInt(BigInt(i))],
            ['f', i / 3],
            ['ok', i % 2 === 0],
            ['d', new Uint8Array([i, 1, 2])],
            ['arr', [1n, 2n]],
          ]),
          i === 4 ? 0n : BigInt(1000 + i),
        ),
      );
    }
    const base = new Uint8Array(encodeProtobuf(pts));
    expect(indexProtobuf(base, NOW)).toEqual(decoderIndex(base));
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 3000; round++) {
      const b = Uint8Array.from(base);
      let m: Uint8Array = b;
      switch (round % 3) {
        case 0:
          for (let k = 0; k <= rand(3); k++) b[rand(b.length)] = rand(256);
          break;
        case 1:
          m = b.subarray(0, rand(b.length));
          break;
        default: {
          const at = rand(b.length);
          m = new Uint8Array([...b.subarray(0, at), rand(256), ...b.subarray(at)]);
        }
      }
      const got = indexProtobuf(m, NOW);
      const want = decoderIndex(m);
      if (got !== null) {
        accepted++;
        expect(want).not.toBeNull();
        expect(got).toEqual(want);
      } else if (want === null) refused++;
    }
    // Both outcomes were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
