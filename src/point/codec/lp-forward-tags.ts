/**
 * The per-call constants of the line-protocol forwarder, made once and
 * reused while the options stay the same: the added (global host) tags as
 * ready-made bytes for both encodings, and the receive time as decimal
 * digits and 64-bit limbs.
 *
 * Added tags must decode back to exactly themselves and must not meet an
 * intake rule, else the forwarder declines every body (the caller's
 * ordinary path handles them): a key of 1 to 256 bytes without control
 * bytes, backslash, quote or dot, a value of 1 to 1024 bytes without
 * control bytes, backslash or quote, unique keys, and no `status` key
 * (for logging, intake adds a `status` *field* only when no tag or field
 * has that key, so adding the tag before or after intake differs).
 */
import { escapeTag } from './lp-escape.js';
import { varintLen32, writeVarint32 } from './lp-forward-num.js';
import { keySig, MAX_KEY_LEN, MAX_TAG_VALUE_LEN, MAX_TAGS } from './lp-forward-scan.js';
import { TAG_FIELD_IS_TAG, TAG_FIELD_KEY, TAG_FIELD_S, TAG_POINT_FIELD } from './pb-schema.js';

/** DataKit's `maxTags`: line tags plus added tags must stay within it. */
const MAX_ALL_TAGS = 256;

export interface AddTagSet {
  count: number;
  keys: Buffer[];
  /** `keySig` of each key. */
  sigs: Int32Array;
  /** `,key=value` escaped for line protocol. */
  lp: Buffer[];
  /** The whole `PBPoint.fields` entry of the tag (tag byte, length, `Field`). */
  pb: Buffer[];
}

/** The tags last prepared, flattened (compared by content: callers may build a fresh array per call). */
let lastPairs: string[] = [];
let lastSet: AddTagSet | null = buildAddTags([]);

/** The prepared tags, or null when they are outside what the forwarder can add. */
export function prepareAddTags(tags: readonly (readonly [string, string])[]): AddTagSet | null {
  if (samePairs(tags)) return lastSet;
  const set = buildAddTags(tags);
  lastPairs = [];
  for (let i = 0; i < tags.length; i++) lastPairs.push(tags[i]![0], tags[i]![1]);
  lastSet = set;
  return set;
}

function samePairs(tags: readonly (readonly [string, string])[]): boolean {
  if (tags.length * 2 !== lastPairs.length) return false;
  for (let i = 0; i < tags.length; i++) {
    if (tags[i]![0] !== lastPairs[2 * i] || tags[i]![1] !== lastPairs[2 * i + 1]) return false;
  }
  return true;
}

function buildAddTags(tags: readonly (readonly [string, string])[]): AddTagSet | null {
  if (tags.length > MAX_ALL_TAGS - MAX_TAGS) return null;
  const set: AddTagSet = { count: tags.length, keys: [], sigs: new Int32Array(tags.length), lp: [], pb: [] };
  const seen = new Set<string>();
  for (let i = 0; i < tags.length; i++) {
    const [key, value] = tags[i]!;
    if (key === 'status' || seen.has(key)) return null;
    seen.add(key);
    const k = exactUtf8(key);
    const v = exactUtf8(value);
    if (k === null || v === null) return null;
    if (!plain(k, MAX_KEY_LEN, true) || !plain(v, MAX_TAG_VALUE_LEN, false)) return null;
    set.keys.push(k);
    set.sigs[i] = keySig(k, 0, k.length);
    set.lp.push(Buffer.from(`,${escapeTag(key)}=${escapeTag(value)}`, 'utf8'));
    set.pb.push(pbTagEntry(k, v));
  }
  return set;
}

/** UTF-8 of `s`, or null when `s` holds a lone surrogate (it would not read back equal). */
function exactUtf8(s: string): Buffer | null {
  const b = Buffer.from(s, 'utf8');
  return b.toString('utf8') === s ? b : null;
}

function plain(b: Buffer, maxLen: number, isKey: boolean): boolean {
  if (b.length === 0 || b.length > maxLen) return false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c === 0x5c || c === 0x22 || (isKey && c === 0x2e)) return false;
  }
  return true;
}

/** `0x12 len Field{key, is_tag=true, s=value}`. */
function pbTagEntry(k: Buffer, v: Buffer): Buffer {
  const inner = 1 + varintLen32(k.length) + k.length + 2 + 1 + varintLen32(v.length) + v.length;
  const out = Buffer.allocUnsafe(1 + varintLen32(inner) + inner);
  let p = 0;
  out[p++] = TAG_POINT_FIELD;
  p = writeVarint32(out, p, inner);
  out[p++] = TAG_FIELD_KEY;
  p = writeVarint32(out, p, k.length);
  p += k.copy(out, p);
  out[p++] = TAG_FIELD_IS_TAG;
  out[p++] = 1;
  out[p++] = TAG_FIELD_S;
  p = writeVarint32(out, p, v.length);
  v.copy(out, p);
  return out;
}

/** The receive time as LP digits and varint limbs. */
export interface NowForms {
  digits: Buffer;
  lo: number;
  hi: number;
}

const INT64_MAX = 2n ** 63n - 1n;
let lastNow = -1n;
let lastNowForms: NowForms = { digits: Buffer.alloc(0), lo: 0, hi: 0 };

/**
 * The receive time's forms, or null when it is not a positive int64 (0 on
 * the protobuf wire means "none", and the receiver would put its own time).
 */
export function prepareNow(now: bigint): NowForms | null {
  if (now === lastNow) return lastNowForms;
  if (now <= 0n || now > INT64_MAX) return null;
  lastNow = now;
  lastNowForms = {
    digits: Buffer.from(now.toString(), 'latin1'),
    lo: Number(now & 0xffffffffn),
    hi: Number(now >> 32n),
  };
  return lastNowForms;
}
