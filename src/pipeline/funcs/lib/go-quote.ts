/**
 * Go's `strconv.Quote`, `QuoteToASCII`, `QuoteRune(ToASCII)` and
 * `CanBackquote`, used by `%q` and `%#v` in strfmt. Printable runes stay as
 * they are (or become \u/\U escapes in ASCII mode), control bytes become
 * \x.., and the usual \n \t … escapes apply.
 */

const PRINT = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** Go's `strconv.IsPrint` / `unicode.IsPrint` (space is the only printable separator). */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return false;
  return PRINT.test(String.fromCodePoint(r));
}

const HEX = '0123456789abcdef';

function hex(r: number, width: number): string {
  let s = '';
  for (let shift = (width - 1) * 4; shift >= 0; shift -= 4) s += HEX[(r >>> shift) & 0xf];
  return s;
}

function escapedRune(r0: number, quote: number, asciiOnly: boolean): string {
  let r = r0;
  if (r === quote || r === 0x5c) return `\\${String.fromCodePoint(r)}`;
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/** Code points of a JS string; lone surrogates read as U+FFFD, as their UTF-8 would. */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
  }
  return out;
}

export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const r of codePoints(s)) out += escapedRune(r, 0x22, asciiOnly);
  return `${out}"`;
}

export function quoteRune(r0: number, asciiOnly = false): string {
  const r = r0 < 0 || r0 > 0x10ffff || (r0 >= 0xd800 && r0 <= 0xdfff) ? 0xfffd : r0;
  return `'${escapedRune(r, 0x27, asciiOnly)}'`;
}

export function canBackquote(s: string): boolean {
  for (const r of codePoints(s)) {
    if (r >= 0x80) {
      if (r === 0xfeff) return false;
      continue;
    }
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}
