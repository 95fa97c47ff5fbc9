/**
 * Key checks of the line-protocol forwarder on the line just scanned: no
 * key may appear twice among its tags and fields (the ordinary decoder
 * rejects a repeated tag, keeps the last of repeated fields, and intake
 * drops a field named like a tag), no added tag may be named like a field
 * (intake would drop the field), and which added tags the line lacks.
 *
 * Keys are matched by signature (`keySig`) first and by bytes only when
 * the signatures agree. Lines have a handful of keys, compared pairwise;
 * lines with many go through a small open-addressing table instead, so a
 * hostile line costs linear, not quadratic, time.
 */
import { keyEnd, keySigs, keyStart, line } from './lp-forward-scan.js';
import type { AddTagSet } from './lp-forward-tags.js';

/** Up to this many keys pairwise comparison beats the table. */
const PAIRWISE_MAX = 12;

const TABLE_BITS = 8;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
/** Slot occupied in the current round when its stamp equals `round` (bumping it clears the table). */
const slotRound = new Uint32Array(1 << TABLE_BITS);
const slotEntry = new Uint8Array(1 << TABLE_BITS);
let round = 0;

/** Added tags the current line lacks (1) or has (0), by index. */
export let missing = new Uint8Array(16);

function sameBytes(b: Uint8Array, x: number, y: Uint8Array, yFrom: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[x + k] !== y[yFrom + k]) return false;
  return true;
}

function sameKeys(b: Uint8Array, e: number, f: number): boolean {
  const len = keyEnd[e]! - keyStart[e]!;
  return len === keyEnd[f]! - keyStart[f]! && sameBytes(b, keyStart[e]!, b, keyStart[f]!, len);
}

/** Whether some key of the line appears twice. */
function hasRepeatedKey(b: Uint8Array, nAll: number): boolean {
  if (nAll <= PAIRWISE_MAX) {
    for (let e = 1; e < nAll; e++) {
      const sig = keySigs[e]!;
      for (let f = 0; f < e; f++) if (keySigs[f] === sig && sameKeys(b, e, f)) return true;
    }
    return false;
  }
  if (++round === 0xffffffff) {
    slotRound.fill(0);
    round = 1;
  }
  for (let e = 0; e < nAll; e++) {
    const sig = keySigs[e]!;
    let s = (sig ^ (sig >>> 11) ^ (sig >>> 23)) & TABLE_MASK;
    while (slotRound[s] === round) {
      const f = slotEntry[s]!;
      if (keySigs[f] === sig && sameKeys(b, e, f)) return true;
      s = (s + 1) & TABLE_MASK;
    }
    slotRound[s] = round;
    slotEntry[s] = e;
  }
  return false;
}

/**
 * Check the line's keys against each other and the added tags, filling
 * `missing`. Returns how many added tags are missing, or -1 when the line
 * must not be forwarded.
 */
export function checkKeys(b: Uint8Array, add: AddTagSet): number {
  const nTags = line.tags;
  const nAll = nTags + line.fields;
  if (nAll > 1 && hasRepeatedKey(b, nAll)) return -1;
  if (missing.length < add.count) missing = new Uint8Array(add.count);
  let missingCount = 0;
  for (let a = 0; a < add.count; a++) {
    const sig = add.sigs[a]!;
    const key = add.keys[a]!;
    let found = -1;
    for (let e = 0; e < nAll; e++) {
      if (keySigs[e] === sig && keyEnd[e]! - keyStart[e]! === key.length) {
        if (sameBytes(b, keyStart[e]!, key, 0, key.length)) {
          found = e;
          break;
        }
      }
    }
    if (found >= nTags) return -1; // a field named like an added tag: intake would drop the field
    missing[a] = found < 0 ? 1 : 0;
    if (found < 0) missingCount++;
  }
  return missingCount;
}
