/**
 * UTF-8 facts the codecs need while working on JS (UTF-16) strings: byte
 * lengths for error offsets and size limits, and Go's bytewise key order
 * (DataKit sorts tag and field keys with `bytes.Compare`).
 */

/** UTF-8 byte length of `s[from, to)` without slicing it. */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3; // BMP char, or a lone surrogate encoded as U+FFFD
  }
  return bytes;
}

/**
 * Order of the UTF-8 encodings of `a` and `b`. UTF-16 code unit order
 * differs from it only where a surrogate (a char beyond U+FFFF) meets a
 * unit in U+E000..U+FFFF, so only that case is adjusted.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** True when `keys` is already in UTF-8 byte order (the common case: no sort needed). */
export function isSortedUtf8(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (compareUtf8(keys[i - 1]!, keys[i]!) > 0) return false;
  }
  return true;
}
