/**
 * What the point store keeps for one accepted request, and how its points
 * come back out.
 *
 * A write is stored as the body the sender sent (still compressed), with
 * what decoding it needs: the wire format, the Content-Encoding and the
 * receive time given to points without a timestamp. Decoding is a pure
 * function of those and the category, so reading the body again yields the
 * very points the write accepted, intake checks included — and the write
 * path never serialises a point. Turning points into the typed JSON shape
 * is paid on read, for the few points a query returns.
 *
 * Points handed to the store as objects (tests, rows of an older database)
 * are kept as `typed`: typed-shape JSON texts, one per line.
 */

import type { Category } from '../point/category.js';
import { decompressBody } from '../point/codec/compression.js';
import { CONTENT_TYPES, decodeBody, type WireEncoding } from '../point/codec/dispatch.js';
import type { Point } from '../point/point.js';
import { toTyped } from '../point/typed-json.js';

export type BodyFormat = WireEncoding | 'typed';

export interface StoredBody {
  format: BodyFormat;
  /** `Content-Encoding` as received; '' when the body was sent as is. */
  coding: string;
  /** The bytes as received. */
  data: Uint8Array;
  /** Receive time (ns) the write gave points without a timestamp. */
  now: bigint;
}

/** One stored point as read back: its sort keys, and its typed JSON once asked for. */
export interface StoredPoint {
  name: string;
  time: bigint;
  /** The decoded point of a wire body; null for `typed` bodies. */
  point: Point | null;
  /** Typed-shape JSON; filled on first `typedText` for wire bodies. */
  text: string | null;
}

/** A stored body that no longer decodes (a damaged database, or a codec that changed). */
export class StoredBodyError extends Error {
  override name = 'StoredBodyError';
}

/** No limit on read: the body was inflated within the server's limit when it was accepted. */
const NO_INFLATE_LIMIT = Number.MAX_SAFE_INTEGER;

const FORMATS: ReadonlySet<string> = new Set<BodyFormat>(['lp', 'json', 'pbjson', 'protobuf', 'typed']);

export function isBodyFormat(s: string): s is BodyFormat {
  return FORMATS.has(s);
}

/** Points as a `typed` body: one typed-shape JSON text per line. */
export function typedBody(points: readonly Point[]): StoredBody {
  const lines: string[] = new Array(points.length);
  for (let i = 0; i < points.length; i++) lines[i] = JSON.stringify(toTyped(points[i]!));
  return { format: 'typed', coding: '', data: Buffer.from(lines.join('\n')), now: 0n };
}

/** Typed texts as a `typed` body (rows of an older database). */
export function typedBodyOfTexts(texts: readonly string[]): StoredBody {
  return { format: 'typed', coding: '', data: Buffer.from(texts.join('\n')), now: 0n };
}

/** The points of a stored body in their order in the body. `where` names it in errors. */
export function readStoredBody(body: StoredBody, category: Category, where: string): StoredPoint[] {
  if (body.format === 'typed') return readTyped(body.data, where);
  let raw: Uint8Array;
  try {
    raw = decompressBody(body.data, body.coding, NO_INFLATE_LIMIT);
  } catch (e) {
    throw new StoredBodyError(`${where}: ${(e as Error).message}`);
  }
  const decoded = decodeBody(raw, CONTENT_TYPES[body.format], { category, now: body.now });
  if (decoded.errors.length > 0) {
    throw new StoredBodyError(`${where}: no longer decodes: ${decoded.errors[0]!.message}`);
  }
  const pts = decoded.points;
  const out: StoredPoint[] = new Array(pts.length);
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    out[i] = { name: p.name, time: p.time, point: p, text: null };
  }
  return out;
}

/** The typed-shape JSON of a stored point. */
export function typedText(p: StoredPoint): string {
  if (p.text === null) p.text = JSON.stringify(toTyped(p.point!));
  return p.text;
}

function readTyped(data: Uint8Array, where: string): StoredPoint[] {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (text === '') return [];
  const lines = text.split('\n');
  const out: StoredPoint[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let o: { name?: unknown; time_ns?: unknown };
    try {
      o = JSON.parse(line) as typeof o;
    } catch (e) {
      throw new StoredBodyError(`${where}: point ${i}: ${(e as Error).message}`);
    }
    if (typeof o.name !== 'string' || typeof o.time_ns !== 'string' || !/^-?\d+$/.test(o.time_ns)) {
      throw new StoredBodyError(`${where}: point ${i}: not a typed point`);
    }
    out[i] = { name: o.name, time: BigInt(o.time_ns), point: null, text: line };
  }
  return out;
}
