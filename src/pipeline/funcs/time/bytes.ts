/**
 * Byte strings. Go's time code (time.Parse, dateparse, ParseDuration) walks
 * its input byte by byte, and its layouts and error messages talk in byte
 * offsets. Text holding non-ASCII characters is turned into a "byte string"
 * (one JS char per UTF-8 byte, through latin1) so every offset computed here
 * is the offset Go computes; pure ASCII text is used as it is, at no cost.
 */

const NON_ASCII = /[^\x00-\x7f]/;

/** The UTF-8 bytes of `s`, one char per byte. */
export function toByteString(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** Back from a byte string to ordinary text (invalid UTF-8 becomes U+FFFD). */
export function fromByteString(b: string): string {
  return NON_ASCII.test(b) ? Buffer.from(b, 'latin1').toString('utf8') : b;
}

export function isDigitAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Decodes the UTF-8 rune starting at byte `i` of a byte string; the number
 * of bytes it takes is left in `runeSize` (no object per call). Invalid
 * sequences decode as U+FFFD of size 1, as Go's DecodeRuneInString does.
 */
export let runeSize = 1;
export function decodeRuneAt(b: string, i: number): number {
  const c0 = b.charCodeAt(i);
  runeSize = 1;
  if (c0 < 0x80) return c0;
  const n = b.length;
  const c1 = i + 1 < n ? b.charCodeAt(i + 1) : 0;
  if (c0 >= 0xc2 && c0 <= 0xdf && (c1 & 0xc0) === 0x80) {
    runeSize = 2;
    return ((c0 & 0x1f) << 6) | (c1 & 0x3f);
  }
  const c2 = i + 2 < n ? b.charCodeAt(i + 2) : 0;
  if (c0 >= 0xe0 && c0 <= 0xef && (c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80) {
    const r = ((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
    if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) {
      runeSize = 3;
      return r;
    }
    return 0xfffd;
  }
  const c3 = i + 3 < n ? b.charCodeAt(i + 3) : 0;
  if (c0 >= 0xf0 && c0 <= 0xf4 && (c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
    const r = ((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
    if (r >= 0x10000 && r <= 0x10ffff) {
      runeSize = 4;
      return r;
    }
  }
  return 0xfffd;
}

const LETTER = /\p{L}/u;
const DECIMAL_DIGIT = /\p{Nd}/u;

/** Go's unicode.IsLetter. */
export function isLetterRune(r: number): boolean {
  if (r < 0x80) return (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  return LETTER.test(String.fromCodePoint(r));
}

/** Go's unicode.IsDigit. */
export function isDigitRune(r: number): boolean {
  if (r < 0x80) return r >= 48 && r <= 57;
  return DECIMAL_DIGIT.test(String.fromCodePoint(r));
}

/** ASCII-only lower-casing, enough to compare against English names. */
export function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

const HEX = '0123456789abcdef';

/**
 * Go's time-package quoting of a byte string in error messages: double
 * quotes, backslash escapes for `"` and `\`, and `\xNN` for every control
 * or non-ASCII byte.
 */
export function goQuote(b: string): string {
  let out = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) {
      out += `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    } else {
      if (c === 34 || c === 92) out += '\\';
      out += b[i];
    }
  }
  return `${out}"`;
}

const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Go's strconv.Quote (the `%q` verb) of ordinary text, as dateparse's errors use it. */
export function goStrconvQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    const cp = ch.codePointAt(0)!;
    if (ch === ' ' || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${HEX[cp >> 4]}${HEX[cp & 15]}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
