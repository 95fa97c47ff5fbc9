/**
 * Every JSON, PBJSON and protobuf vector of conformance/codec/decode.jsonl:
 * the body decoded by Content-Type must give DataKit's points exactly
 * (typed shape), or, for `expect_errors`, an error with DataKit's code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../../src/point/category.js';
import { decodeBody, encodingOfContentType } from '../../../src/point/codec/index.js';
import { toTyped } from '../../../src/point/typed-json.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../../support/shared.js';

interface Vector {
  id: string;
  category: Category;
  content_type: string;
  precision: string;
  now_ns: string;
  body_file: string;
  expect: unknown[];
  expect_errors: boolean;
  error_code?: string;
}

function loadVectors(): Vector[] {
  if (SHARED_DIR === null) return [];
  return readFileSync(sharedPath('conformance/codec/decode.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Vector)
    .filter((v) => encodingOfContentType(v.content_type) !== 'lp');
}

const vectors = loadVectors();

describe.skipIf(SHARED_DIR === null)(
  `wire conformance (JSON, PBJSON, protobuf) ${SHARED_DIR === null ? SHARED_MISSING_REASON : ''}`,
  () => {
    it('finds the vectors of all three encodings', () => {
      const kinds = new Set(vectors.map((v) => encodingOfContentType(v.content_type)));
      expect([...kinds].sort()).toEqual(['json', 'pbjson', 'protobuf']);
    });

    it.each(vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
      const body = readFileSync(sharedPath('conformance/codec', v.body_file));
      const res = decodeBody(body, v.content_type, {
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
      expect(res.points.map((p) => toTyped(p, { dropped: false }))).toEqual(v.expect);
    });
  },
);
