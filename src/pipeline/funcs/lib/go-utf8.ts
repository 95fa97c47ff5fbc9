/**
 * UTF-8 decoding with Go's rules (`utf8.DecodeRune`): a bad or truncated
 * sequence yields U+FFFD with width 1, the end of input width 0. Helpers
 * that mirror Go byte-by-byte scanners need exactly this behaviour.
 */

export const RUNE_ERROR = 0xfffd;

/** Decoded rune at `i`: `rune * 8 + width` packed to avoid an allocation. */
export function decodeRune(b: Uint8Array, i: number): number {
  const n = b.length;
  if (i >= n) return RUNE_ERROR * 8; // width 0
  const c0 = b[i]!;
  if (c0 < 0x80) return c0 * 8 + 1;
  if (c0 < 0xc2 || c0 > 0xf4) return RUNE_ERROR * 8 + 1;
  if (c0 < 0xe0) {
    if (i + 1 >= n) return RUNE_ERROR * 8 + 1;
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80) return RUNE_ERROR * 8 + 1;
    return (((c0 & 0x1f) << 6) | (c1 & 0x3f)) * 8 + 2;
  }
  if (c0 < 0xf0) {
    if (i + 2 >= n) return RUNE_ERROR * 8 + 1;
    const c1 = b[i + 1]!;
    const c2 = b[i + 2]!;
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (c1 < lo || c1 > hi || (c2 & 0xc0) !== 0x80) return RUNE_ERROR * 8 + 1;
    return (((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f)) * 8 + 3;
  }
  if (i + 3 >= n) return RUNE_ERROR * 8 + 1;
  const c1 = b[i + 1]!;
  const c2 = b[i + 2]!;
  const c3 = b[i + 3]!;
  const lo = c0 === 0xf0 ? 0x90 : 0x80;
  const hi = c0 === 0xf4 ? 0x8f : 0xbf;
  if (c1 < lo || c1 > hi || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return RUNE_ERROR * 8 + 1;
  return (((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f)) * 8 + 4;
}

/** Bytes needed to encode `r` (Go's `utf8.RuneLen`, surrogates count as 3 after replacement). */
export function runeLen(r: number): number {
  if (r < 0x80) return 1;
  if (r < 0x800) return 2;
  if (r < 0x10000) return 3;
  return 4;
}

const SPACE_RE = /\p{White_Space}/u;

/** Go's `unicode.IsSpace`. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  if (r > 0x10ffff) return false;
  return SPACE_RE.test(String.fromCodePoint(r));
}

const LETTER_RE = /\p{L}/u;

/** Go's `unicode.IsLetter`. */
export function isLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  if (r > 0x10ffff) return false;
  return LETTER_RE.test(String.fromCodePoint(r));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function utf8Encode(s: string): Uint8Array {
  return enc.encode(s);
}

/** Bytes to a JS string; invalid sequences become U+FFFD as they would when DataKit serialises them. */
export function utf8Decode(b: Uint8Array): string {
  return dec.decode(b);
}

/** Code points to a string, in chunks so long inputs cannot overflow the call stack. */
export function runesToString(runes: readonly number[]): string {
  let s = '';
  for (let i = 0; i < runes.length; i += 4096) s += String.fromCodePoint(...runes.slice(i, i + 4096));
  return s;
}
