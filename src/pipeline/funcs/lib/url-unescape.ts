/**
 * Percent-decoding with Go's `net/url` rules, which differ from
 * `decodeURIComponent`: `+` means space only in query components, a bad
 * escape is an error naming the offending `%xx`, hosts may only escape
 * non-ASCII bytes (plus `%25`), and decoded bytes need not be valid UTF-8.
 */
import { utf8Decode, utf8Encode } from './go-utf8.js';

export type EscapeMode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c <= 0x39) return c - 0x30;
  if (c >= 0x61) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

const HOST_ALLOWED = new Set(Array.from('!$&\'()*+,;=:[]<>"-_.~', (c) => c.charCodeAt(0)));

/** Go's `shouldEscape` for the two host modes, the only ones that reject raw bytes. */
function hostByteNeedsEscape(c: number): boolean {
  return !isAlnum(c) && !HOST_ALLOWED.has(c);
}

/** Go's `EscapeError` / `InvalidHostError` as values. */
export class UrlEscapeError extends Error {
  override name = 'UrlEscapeError';
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return utf8Decode(b.subarray(from, Math.min(to, b.length)));
}

/**
 * True when `s` decodes to itself: no `%`, no `+` and, in host modes, no
 * ASCII byte a host must escape. UTF-8 never puts an ASCII byte inside a
 * multi-byte sequence, so scanning UTF-16 units sees the same ASCII bytes
 * as scanning the encoded bytes, without encoding anything.
 */
function unescapesToItself(s: string, hostish: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 || c === 0x2b) return false;
    if (hostish && c < 0x80 && hostByteNeedsEscape(c)) return false;
  }
  return true;
}

/** Decodes `s` (as UTF-8 bytes) in the given mode; decoded bytes are read back as UTF-8. */
export function goUnescape(s: string, mode: EscapeMode): string | UrlEscapeError {
  const hostish = mode === 'host' || mode === 'zone';
  // the common path (nothing escaped) needs no byte copy of the text
  if (unescapesToItself(s, hostish)) return s;
  const b = utf8Encode(s);
  let escapes = 0;
  let hasPlus = false;
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c === 0x25) {
      escapes++;
      if (i + 2 >= b.length || !isHex(b[i + 1]!) || !isHex(b[i + 2]!)) {
        return new UrlEscapeError(`invalid URL escape ${JSON.stringify(latin1(b, i, i + 3))}`);
      }
      const isPct25 = b[i + 1] === 0x32 && b[i + 2] === 0x35;
      // hosts may only escape non-ASCII bytes, except %25 in IPv6 zones
      if (mode === 'host' && unhex(b[i + 1]!) < 8 && !isPct25) {
        return new UrlEscapeError(`invalid URL escape ${JSON.stringify(latin1(b, i, i + 3))}`);
      }
      if (mode === 'zone') {
        const v = (unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!);
        if (!isPct25 && v !== 0x20 && hostByteNeedsEscape(v)) {
          return new UrlEscapeError(`invalid URL escape ${JSON.stringify(latin1(b, i, i + 3))}`);
        }
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === 'queryComponent';
      i++;
    } else {
      if (hostish && c < 0x80 && hostByteNeedsEscape(c)) {
        return new UrlEscapeError(`invalid character ${JSON.stringify(String.fromCharCode(c))} in host name`);
      }
      i++;
    }
  }
  if (escapes === 0 && !hasPlus) return s;
  const out = new Uint8Array(b.length - 2 * escapes);
  let o = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) {
      out[o++] = (unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!);
      i += 2;
    } else if (c === 0x2b && mode === 'queryComponent') out[o++] = 0x20;
    else out[o++] = c;
  }
  return utf8Decode(out);
}
