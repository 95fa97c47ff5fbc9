/**
 * Test helper: build protobuf wire bytes by hand, so tests can state exactly
 * what a foreign encoder might send (unknown fields, odd orders, groups,
 * truncations) independent of our own encoder.
 */

export type Part = number[] | Uint8Array;

export function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (x > 0x7fn) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

export function key(field: number, wire: number): number[] {
  return varint((field << 3) | wire);
}

export function cat(...parts: Part[]): number[] {
  const out: number[] = [];
  for (const p of parts) for (const b of p) out.push(b);
  return out;
}

/** A length-delimited field. */
export function len(field: number, ...body: Part[]): number[] {
  const b = cat(...body);
  return cat(key(field, 2), varint(b.length), b);
}

export function str(field: number, s: string): number[] {
  return len(field, Buffer.from(s, 'utf8'));
}

export function vint(field: number, v: number | bigint): number[] {
  return cat(key(field, 0), varint(v));
}

export function f64(field: number, x: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return cat(key(field, 1), b);
}

export function bytes(...parts: Part[]): Uint8Array {
  return Uint8Array.from(cat(...parts));
}

/** `PBPoints{arr: [point...]}` where each point is already-built PBPoint body bytes. */
export function points(...pts: Part[]): Uint8Array {
  return bytes(...pts.map((p) => len(1, p)));
}

/** A `Field` message body. */
export function field(k: string, ...rest: Part[]): number[] {
  return cat(str(1, k), ...rest);
}

export const ARRAY_URL = 'type.googleapis.com/point.Array';

/** `Any{point.Array{arr: elems}}` as a Field's `a` (field 7). */
export function anyArray(...elems: Part[]): number[] {
  return len(7, str(1, ARRAY_URL), len(2, ...elems.map((e) => len(1, e))));
}
