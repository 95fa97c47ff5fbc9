/**
 * DataKit's golden vectors for line protocol (shared/conformance/codec):
 * every decode vector with a line-protocol body, compared point by point
 * in the typed shape, and every encode vector, compared byte for byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCategory } from '../../../src/point/category.js';
import { decodeLineProtocol, encodeLineProtocolBytes } from '../../../src/point/codec/line-protocol.js';
import { fromTyped, type TypedPoint, type TypedValue, toTyped } from '../../../src/point/typed-json.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

interface DecodeVector {
  id: string;
  category: string;
  content_type: string;
  precision: string;
  now_ns: string;
  body_file: string;
  expect: TypedPoint[];
  expect_errors: boolean;
  error_code?: string;
}

interface EncodeVector {
  id: string;
  encoding: string;
  points_file: string;
  expect_body_file: string;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/**
 * The vectors passed floats through a JSON step that read Go's `-0` as the
 * integer 0, so they cannot carry the sign of zero (`c=-0.0` decodes to
 * -0 in DataKit, as Go's ParseFloat gives); compare zeros without sign.
 */
function unsignZero(v: TypedValue): TypedValue {
  if ('f' in v && v.f === 0) return { f: 0 };
  if ('a' in v) return { a: v.a.map(unsignZero) };
  return v;
}

function comparable(p: TypedPoint): TypedPoint {
  const fields: Record<string, TypedValue> = {};
  for (const [k, v] of Object.entries(p.fields)) fields[k] = unsignZero(v);
  return { name: p.name, time_ns: p.time_ns, tags: p.tags, fields };
}

function isLineProtocol(contentType: string): boolean {
  return !contentType.includes('json') && !contentType.includes('protobuf');
}

describe.skipIf(SHARED_DIR === null)(
  `line protocol conformance ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    const decodeVectors =
      SHARED_DIR === null
        ? []
        : readJsonl<DecodeVector>(sharedPath('conformance', 'codec', 'decode.jsonl')).filter((v) =>
            isLineProtocol(v.content_type),
          );
    const encodeVectors =
      SHARED_DIR === null
        ? []
        : readJsonl<EncodeVector>(sharedPath('conformance', 'codec', 'encode.jsonl')).filter(
            (v) => v.encoding === 'lp',
          );

    it('has vectors to check', () => {
      expect(decodeVectors.length).toBeGreaterThan(20);
      expect(encodeVectors.length).toBeGreaterThan(5);
    });

    it.each(decodeVectors.map((v) => [v.id, v] as const))('decodes %s', (_id, v) => {
      if (!isCategory(v.category)) throw new Error(`bad category ${v.category}`);
      const body = readFileSync(sharedPath('conformance', 'codec', v.body_file));
      const res = decodeLineProtocol(new Uint8Array(body), {
        category: v.category,
        precision: v.precision,
        now: BigInt(v.now_ns),
      });
      if (v.expect_errors) {
        expect(res.errors.length).toBeGreaterThan(0);
        for (const e of res.errors) expect(e.code).toBe(v.error_code);
        return;
      }
      expect(res.errors).toEqual([]);
      expect(res.points.map((p) => comparable(toTyped(p)))).toEqual(v.expect.map(comparable));
    });

    it.each(encodeVectors.map((v) => [v.id, v] as const))('encodes %s byte for byte', (_id, v) => {
      const points = readJsonl<unknown>(sharedPath('conformance', 'codec', v.points_file)).map((o) =>
        fromTyped(o),
      );
      const want = readFileSync(sharedPath('conformance', 'codec', v.expect_body_file));
      expect(Buffer.from(encodeLineProtocolBytes(points)).equals(want)).toBe(true);
      expect(Buffer.from(encodeLineProtocolBytes(points)).toString('utf8')).toBe(want.toString('utf8'));
    });
  },
);
