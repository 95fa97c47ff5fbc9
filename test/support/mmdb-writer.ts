/**
 * A minimal MaxMind DB (MMDB v2) writer, so geoip tests run against a
 * database built here rather than a downloaded one. Enough of the format
 * for tests: an IPv6 search tree (IPv4 networks live under ::/96, where
 * readers look for them), 24-bit records, non-overlapping networks, and
 * data of strings, unsigned ints, doubles, bools, arrays and maps.
 *
 * Layout: search tree | 16 zero bytes | data section |
 * "\xAB\xCD\xEFMaxMind.com" | metadata map.
 */
import { isIP } from 'node:net';

type Data = string | number | boolean | Data[] | { [k: string]: Data };

interface TrieNode {
  kids: [TrieNode | number | null, TrieNode | number | null];
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);

function ctrl(type: number, size: number): Buffer {
  const ext = type > 7;
  const first = (ext ? 0 : type) << 5;
  let head: number[];
  if (size < 29) head = [first | size];
  else if (size < 285) head = [first | 29, size - 29];
  else if (size < 65_821) head = [first | 30, (size - 285) >> 8, (size - 285) & 255];
  else {
    const s = size - 65_821;
    head = [first | 31, (s >> 16) & 255, (s >> 8) & 255, s & 255];
  }
  if (ext) head.splice(1, 0, type - 7);
  return Buffer.from(head);
}

function uintBytes(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  while (v > 0n) {
    out.unshift(Number(v & 255n));
    v >>= 8n;
  }
  return Buffer.from(out);
}

export function encodeData(v: Data): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([ctrl(2, b.length), b]);
  }
  if (typeof v === 'boolean') return ctrl(14, v ? 1 : 0);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 32) {
      const b = uintBytes(v);
      return Buffer.concat([ctrl(v < 65_536 ? 5 : 6, b.length), b]);
    }
    if (Number.isInteger(v) && v >= 0) {
      const b = uintBytes(v);
      return Buffer.concat([ctrl(9, b.length), b]);
    }
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return Buffer.concat([ctrl(3, 8), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([ctrl(11, v.length), ...v.map(encodeData)]);
  const keys = Object.keys(v);
  return Buffer.concat([ctrl(7, keys.length), ...keys.flatMap((k) => [encodeData(k), encodeData(v[k]!)])]);
}

/** The 128 bits of an address (IPv4 as ::a.b.c.d) and the prefix length in that space. */
function networkBits(cidr: string): { bits: number[]; prefix: number } {
  const [addr, len] = cidr.split('/') as [string, string | undefined];
  const fam = isIP(addr);
  if (fam === 0) throw new Error(`not an address: ${addr}`);
  const bytes = new Uint8Array(16);
  if (fam === 4) {
    const octets = addr.split('.');
    for (let i = 0; i < 4; i++) bytes[12 + i] = Number(octets[i]);
  } else {
    const [head, tail] = addr.split('::') as [string, string | undefined];
    const h = head === '' ? [] : head.split(':');
    const t = tail === undefined || tail === '' ? [] : tail.split(':');
    const words = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t].map((w) =>
      Number.parseInt(w, 16),
    );
    words.forEach((w, i) => {
      bytes[2 * i] = w >> 8;
      bytes[2 * i + 1] = w & 255;
    });
  }
  const bits: number[] = [];
  for (let i = 0; i < 128; i++) bits.push((bytes[i >> 3]! >> (7 - (i & 7))) & 1);
  const plen = len === undefined ? (fam === 4 ? 32 : 128) : Number(len);
  return { bits, prefix: fam === 4 ? 96 + plen : plen };
}

export interface MmdbOptions {
  databaseType: string;
  description?: string;
}

/** An MMDB file mapping each network (`1.2.3.0/24`, `2001:db8::/32`) to its record. */
export function writeMmdb(records: Record<string, Data>, opts: MmdbOptions): Buffer {
  const root: TrieNode = { kids: [null, null] };
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const [cidr, rec] of Object.entries(records)) {
    const enc = encodeData(rec);
    const offset = dataSize;
    data.push(enc);
    dataSize += enc.length;
    const { bits, prefix } = networkBits(cidr);
    let node = root;
    for (let d = 0; d < prefix - 1; d++) {
      const b = bits[d]!;
      const next = node.kids[b];
      if (typeof next === 'number') throw new Error(`${cidr} overlaps another network`);
      if (next === null) {
        const n: TrieNode = { kids: [null, null] };
        node.kids[b] = n;
        node = n;
      } else node = next;
    }
    node.kids[bits[prefix - 1]!] = offset;
  }

  const order: TrieNode[] = [];
  const index = new Map<TrieNode, number>();
  const queue: TrieNode[] = [root];
  while (queue.length > 0) {
    const n = queue.shift()!;
    index.set(n, order.length);
    order.push(n);
    for (const k of n.kids) if (k !== null && typeof k !== 'number') queue.push(k);
  }
  const nodeCount = order.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const record = (k: TrieNode | number | null): number =>
    k === null ? nodeCount : typeof k === 'number' ? nodeCount + 16 + k : index.get(k)!;
  order.forEach((n, i) => {
    tree.writeUIntBE(record(n.kids[0]), i * 6, 3);
    tree.writeUIntBE(record(n.kids[1]), i * 6 + 3, 3);
  });

  const meta = encodeData({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 6,
    database_type: opts.databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    description: { en: opts.description ?? 'plkit test database' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, METADATA_MARKER, meta]);
}
