/**
 * Whole protobuf `Field` messages by their bytes, for the decoder.
 *
 * Within a batch the same small fields recur on every point: the host and
 * service tags, `status="info"`, a counter that did not change. Matching a
 * field's bytes against the ones seen last in its slot costs one compare
 * pass, where decoding it again costs several varints, two string
 * look-ups and a value. Only immutable values are kept (strings, numbers,
 * bigints, booleans), so handing the same one to many points is safe.
 * The cache is direct-mapped and shared by all decodes; a slot holds the
 * last field that hashed to it.
 */
import type { FieldValue } from '../value.js';

const BITS = 10;
const SLOTS = 1 << BITS;
const MASK = SLOTS - 1;
/** Longest `Field` message (in bytes) the cache holds. */
export const FIELD_CACHE_MAX = 48;

/** Per slot, its field's bytes as little-endian 32-bit words (compared four bytes at a time). */
const WORDS = FIELD_CACHE_MAX / 4;
const words = new Int32Array(SLOTS * WORDS);
/** Byte length per slot; 0 marks an empty slot (empty fields are never stored). */
const lengths = new Uint8Array(SLOTS);
const keys: string[] = new Array<string>(SLOTS).fill('');
const values: FieldValue[] = new Array<FieldValue>(SLOTS).fill(null);
const infos = new Uint8Array(SLOTS);

/** `fieldInfo` bit: the field is a tag. The other bits are the caller's. */
export const INFO_IS_TAG = 1;

/** The slot for the field `buf[start, end)` (1 to `FIELD_CACHE_MAX` bytes). */
export function fieldSlot(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  // The key comes first and the value last: sample across the whole field, last byte included.
  const h =
    Math.imul(n, 0x9e3779b1) ^
    Math.imul(buf[start + (n >> 1)]!, 0x85ebca6b) ^
    Math.imul(buf[end - 1]!, 0xc2b2ae35) ^
    Math.imul(buf[start + (n >> 2)]!, 0x27d4eb2f) ^
    Math.imul(buf[start + ((3 * n) >> 2)]!, 0x165667b1);
  return (h ^ (h >>> 15)) & MASK;
}

/**
 * Whether `slot` holds exactly the field `buf[start, end)`; `view` is a
 * DataView over the same bytes as `buf`.
 */
export function fieldHit(buf: Uint8Array, view: DataView, start: number, end: number, slot: number): boolean {
  const n = end - start;
  if (lengths[slot] !== n) return false;
  let w = slot * WORDS;
  let i = start;
  for (; i + 4 <= end; i += 4, w++) if (view.getInt32(i, true) !== words[w]) return false;
  if (i === end) return true;
  // The last one to three bytes, read one by one: no read past `end`.
  let last = 0;
  for (let k = 0; i + k < end; k++) last |= buf[i + k]! << (8 * k);
  return last === words[w];
}

export function fieldKey(slot: number): string {
  return keys[slot]!;
}

export function fieldValue(slot: number): FieldValue {
  return values[slot]!;
}

export function fieldInfo(slot: number): number {
  return infos[slot]!;
}

/** Whether a decoded value may be shared between points. */
export function cacheable(value: FieldValue): boolean {
  const t = typeof value;
  return t === 'string' || t === 'bigint' || t === 'number' || t === 'boolean';
}

/** Remember the field `buf[start, end)` (see `FIELD_CACHE_MAX`) as decoding to these. */
export function storeField(
  buf: Uint8Array,
  start: number,
  end: number,
  slot: number,
  key: string,
  value: FieldValue,
  info: number,
): void {
  let w = slot * WORDS;
  for (let i = start; i < end; i += 4, w++) {
    let word = 0;
    for (let k = 0; k < 4 && i + k < end; k++) word |= buf[i + k]! << (8 * k);
    words[w] = word;
  }
  lengths[slot] = end - start;
  keys[slot] = key;
  values[slot] = value;
  infos[slot] = info;
}
