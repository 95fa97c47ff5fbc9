/**
 * A request kept in the ploffload disk cache: what is needed to process it
 * later exactly as if it had been processed on arrival.
 *
 * Layout: u32 BE header length | header JSON | body bytes, where the header
 * is `{"v":1,"c":category,"t":content-type,"q":query string,"id":batch id
 * or null,"r":receive time in ns}`. The receive time is kept so points
 * without a timestamp get the time they arrived, not the time a backlog
 * was worked off.
 */
import type { Category } from '../../point/category.js';
import { categoryFromUrl } from '../../point/category.js';

export interface RequestRecord {
  category: Category;
  contentType: string;
  query: string;
  batchId: string | null;
  receivedNs: bigint;
  body: Uint8Array;
}

export function encodeRequestRecord(r: RequestRecord): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      v: 1,
      c: r.category,
      t: r.contentType,
      q: r.query,
      id: r.batchId,
      r: r.receivedNs.toString(),
    }),
    'utf8',
  );
  const out = Buffer.allocUnsafe(4 + header.length + r.body.length);
  out.writeUInt32BE(header.length, 0);
  header.copy(out, 4);
  out.set(r.body, 4 + header.length);
  return out;
}

/** The record, or null when it is not one this version wrote. */
export function decodeRequestRecord(p: Buffer): RequestRecord | null {
  if (p.length < 4) return null;
  const n = p.readUInt32BE(0);
  if (p.length < 4 + n) return null;
  let h: { v?: unknown; c?: unknown; t?: unknown; q?: unknown; id?: unknown; r?: unknown };
  try {
    h = JSON.parse(p.toString('utf8', 4, 4 + n));
  } catch {
    return null;
  }
  if (h.v !== 1 || typeof h.c !== 'string' || typeof h.r !== 'string') return null;
  const category = categoryFromUrl(h.c);
  if (category === undefined) return null;
  let receivedNs: bigint;
  try {
    receivedNs = BigInt(h.r);
  } catch {
    return null;
  }
  return {
    category,
    contentType: typeof h.t === 'string' ? h.t : '',
    query: typeof h.q === 'string' ? h.q : '',
    batchId: typeof h.id === 'string' ? h.id : null,
    receivedNs,
    body: p.subarray(4 + n),
  };
}
