/**
 * `cover(key, [start, end])`: masks the runes from position `start` to `end`
 * (1-based, inclusive) with `*`, or the full-width `＊` for Han characters.
 * Negative positions count from the end (-1 is the last rune), `end` is
 * clamped to the length, and a start of 0 or less also counts from the end.
 * An impossible range (start after end) leaves the value unchanged (null).
 */
const HAN = /\p{Script=Han}/u;
/** Every Han code point is at or above U+2E80 (CJK Radicals Supplement). */
const FIRST_HAN = 0x2e80;

function mask(ch: string): string {
  return ch.charCodeAt(0) >= FIRST_HAN && HAN.test(ch) ? '＊' : '*';
}

/** True when every UTF-16 unit is a whole rune (no surrogates), so units can be indexed as runes. */
function unitsAreRunes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

export function cover(value: string, start: number, end: number): string | null {
  // most values (phone numbers, IPs, ids) have no astral characters: index
  // the string directly instead of splitting it into a rune array
  const direct = unitsAreRunes(value);
  const runes = direct ? null : Array.from(value);
  const n = runes === null ? value.length : runes.length;
  let s = Math.trunc(start);
  let e = Math.trunc(end);
  if (e > n) e = n;
  if (e < 0) e += n + 1;
  if (s <= 0) s += n + 1;
  if (s > e) return null;
  const from = Math.max(s - 1, 0);
  if (runes === null) {
    if (from >= e) return value;
    let out = value.slice(0, from);
    for (let i = from; i < e; i++) out += mask(value[i]!);
    return out + value.slice(e);
  }
  for (let i = from; i < e; i++) runes[i] = mask(runes[i]!);
  return runes.join('');
}
