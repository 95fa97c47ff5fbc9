/**
 * Rendezvous (highest random weight) hashing: each key ranks every
 * receiver by a hash of (key, receiver) and goes to the best-ranked live
 * one. When a receiver dies only its keys move (each to its own next
 * choice), and when it returns they move back; no ring to rebuild.
 *
 * The hash is 32-bit FNV-1a over the key's UTF-16 code units, seeded per
 * receiver and finished with a murmur3 avalanche so nearby seeds do not
 * rank alike.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The per-receiver seed: a hash of its base URL. */
export function seedOf(name: string): number {
  return fnv(FNV_OFFSET, name);
}

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The weight of `key` on the receiver with `seed`. */
export function weight(seed: number, key: string): number {
  return fmix(fnv(seed, key));
}
