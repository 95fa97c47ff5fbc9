/**
 * Byte compatibility with DataKit's own offload sender: the same input
 * points must produce the requests captured in
 * ../shared/conformance/offload/ (path, query, headers, body).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeLineProtocol } from '../../src/point/codec/index.js';
import { type Point, toTyped } from '../../src/point/index.js';
import { SHARED_DIR, SHARED_MISSING_REASON, sharedPath } from '../support/shared.js';
import { offloader, receivers } from './harness.js';

function inputPoints(file: string): Point[] {
  const text = readFileSync(sharedPath('conformance', 'offload', 'inputs', file));
  const r = decodeLineProtocol(text, { category: 'logging', precision: 'n' });
  expect(r.errors).toEqual([]);
  return r.points;
}

interface Capture {
  meta: { path: string; raw_query: string; headers: Record<string, string[]> };
  body: Buffer;
}

function captures(receiver: string, kase: string): Capture[] {
  const dir = sharedPath('conformance', 'offload', receiver, kase, 'addr1');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      meta: JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')),
      body: readFileSync(`${dir}/${f.replace(/\.json$/, '.body')}`),
    }));
}

const typed = (body: Uint8Array, ct: string | undefined) =>
  decodeBody(body, ct, { category: 'logging', precision: 'n' }).points.map((p) => toTyped(p));

describe.skipIf(SHARED_DIR === null)(
  `wire compatibility with DataKit's sender${SHARED_DIR === null ? ` (${SHARED_MISSING_REASON})` : ''}`,
  () => {
    it.each([
      ['01-single-5pts', '5.lp'],
      ['02-single-300pts-onefeed', '300.lp'],
    ])(
      'datakit-http %s: same path, no query, no Content-Type, byte-identical bodies',
      async (kase, input) => {
        const [r] = await receivers(1);
        const { off } = await offloader({
          receiver: 'datakit-http',
          addresses: [`${r!.url}/ignored/path?x=1`],
        });
        await off.send(inputPoints(input));
        const want = captures('datakit-http', kase);
        expect(r!.received).toHaveLength(want.length);
        for (let i = 0; i < want.length; i++) {
          const got = r!.received[i]!;
          expect(got.method).toBe('POST');
          expect(got.url).toBe(want[i]!.meta.path);
          expect(want[i]!.meta.raw_query).toBe('');
          expect(got.headers['content-type']).toBeUndefined();
          expect(got.headers['content-encoding']).toBeUndefined();
          expect(got.body.toString('utf8')).toBe(want[i]!.body.toString('utf8'));
          expect(got.body.equals(want[i]!.body)).toBe(true);
        }
      },
    );

    it.each([
      ['01-single-5pts', '5.lp'],
      ['02-single-300pts-onefeed', '300.lp'],
    ])(
      'ploffload %s: same path and Content-Type, same decoded points in the same batches',
      async (kase, input) => {
        const [r] = await receivers(1);
        const { off } = await offloader({ receiver: 'ploffload', addresses: [r!.url] });
        await off.send(inputPoints(input));
        const want = captures('ploffload', kase);
        expect(r!.received).toHaveLength(want.length);
        for (let i = 0; i < want.length; i++) {
          const got = r!.received[i]!;
          const ct = want[i]!.meta.headers['Content-Type']![0]!;
          expect(got.url).toBe(want[i]!.meta.path);
          expect(got.headers['content-type']).toBe(ct);
          expect(got.headers['content-encoding']).toBeUndefined();
          expect(typed(got.body, got.headers['content-type'])).toEqual(typed(want[i]!.body, ct));
        }
      },
    );
  },
);
