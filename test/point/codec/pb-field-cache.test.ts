/**
 * The protobuf decoder remembers small `Field` messages by their bytes
 * (pb-field-cache.ts). A remembered field must decode exactly as a fresh
 * one, mutable values must never be shared between points, fields that
 * only warn must warn every time, and slot collisions must not leak one
 * field's value into another.
 */
import { describe, expect, it } from 'vitest';
import { decodeProtobuf, encodeProtobuf, readPbPoints } from '../../../src/point/codec/protobuf.js';
import { Point } from '../../../src/point/point.js';
import { toTyped } from '../../../src/point/typed-json.js';
import type { FieldValue } from '../../../src/point/value.js';
import { field, len, points, str, vint } from './pb-bytes.js';

function pt(tags: [string, string][], fields: [string, FieldValue][]): Point {
  return new Point('m', new Map(tags), new Map(fields), 1n);
}

describe('protobuf field cache', () => {
  it('gives each point its own bytes and arrays', () => {
    const p = pt(
      [],
      [
        ['d', new Uint8Array([1, 2])],
        ['a', [1n, 2n]],
      ],
    );
    const res = readPbPoints(encodeProtobuf([p, p, p]), 'logging');
    const [a, b] = res.points;
    (a!.fields.get('d') as Uint8Array)[0] = 9;
    (a!.fields.get('a') as bigint[]).push(3n);
    expect(b!.fields.get('d')).toEqual(new Uint8Array([1, 2]));
    expect(b!.fields.get('a')).toEqual([1n, 2n]);
  });

  it('warns for a field without value every time it appears', () => {
    const body = points(...[1, 2, 3].map(() => [...str(1, 'm'), ...len(2, field('k')), ...vint(3, 1)]));
    const res = readPbPoints(body, 'logging');
    expect(res.points.map((q) => q.warns)).toEqual(
      Array.from({ length: 3 }, () => [{ type: 'nil_field', msg: 'nil field(k) dropped' }]),
    );
  });

  it('tells a tag from a field with the same key and value', () => {
    const body = points(
      [...len(2, field('k', vint(8, 1), str(11, 'v'))), ...vint(3, 1)],
      [...len(2, field('k', str(11, 'v'))), ...vint(3, 1)],
      [...len(2, field('k', vint(8, 1), str(11, 'v'))), ...vint(3, 1)],
    );
    const res = readPbPoints(body, 'logging');
    expect(res.points.map((q) => [[...q.tags], [...q.fields]])).toEqual([
      [[['k', 'v']], []],
      [[], [['k', 'v']]],
      [[['k', 'v']], []],
    ]);
  });

  it('decodes many more distinct fields than it has slots, twice over', () => {
    const pts: Point[] = [];
    for (let i = 0; i < 3000; i++) {
      pts.push(
        pt(
          [[`t${i % 1700}`, `v${i % 1300}`]],
          [
            [`f${i % 1900}`, BigInt(i % 1100)],
            [`s${i % 900}`, `x${i % 2100}`],
            [`b${i % 50}`, i % 3 === 0],
            [`g${i % 70}`, (i % 40) / 4],
          ],
        ),
      );
    }
    const body = encodeProtobuf(pts);
    const want = pts.map((q) => toTyped(q));
    for (let round = 0; round < 2; round++) {
      const res = readPbPoints(body, 'logging');
      expect(res.errors).toEqual([]);
      expect(res.points.map((q) => toTyped(q))).toEqual(want);
    }
  });

  it('still applies the intake checks to remembered fields', () => {
    const body = points(
      ...[1, 2].map(() => [
        ...len(2, field('a.b', vint(8, 1), str(11, 'v'))),
        ...len(2, field('a.b', str(11, 'x'))),
        ...vint(3, 1),
      ]),
    );
    const res = decodeProtobuf(body, { category: 'logging', now: 1n });
    for (const q of res.points) {
      expect([...q.tags]).toEqual([['a_b', 'v']]);
      expect(q.fields.has('a.b')).toBe(false);
      expect(q.fields.has('a_b')).toBe(false);
    }
  });
});
