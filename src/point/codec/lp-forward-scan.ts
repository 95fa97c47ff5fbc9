/**
 * The line scanner of the line-protocol forwarder (`lp-forward.ts`): checks
 * that one line lies inside the forwarder's deliberately small subset of
 * line protocol and records where its pieces are, in module-level typed
 * arrays (no object per line or per entry).
 *
 * The subset is chosen so that the ordinary decoder (`lp-line-parser.ts`
 * plus the intake checks of `normalize.ts`) reads every accepted line
 * without an error, a warning or a rewrite: no escapes outside string
 * values, no dots in keys, limits well inside DataKit's, one layout of
 * blanks, no leading zeros, values that are exact in every encoding. Any
 * doubt rejects the line; the caller then decodes the body the ordinary
 * way, which reports or fixes what is wrong.
 *
 * The body is scanned in the arena (`lp-forward-out.ts`), where a `"`
 * follows its last byte: every token loop stops there by itself (a quote
 * ends or rejects every token but string values, which check the end), so
 * the loops carry no bounds test.
 */
import { floatValue } from './lp-forward-num.js';
import { firstQuoteOrBackslash } from './lp-forward-swar.js';

export const MAX_TAGS = 64;
export const MAX_FIELDS = 64;
export const MAX_ENTRIES = MAX_TAGS + MAX_FIELDS;
const MAX_NAME_LEN = 1024;
export const MAX_KEY_LEN = 256;
export const MAX_TAG_VALUE_LEN = 1024;
/** DataKit's `maxFieldValueLen`; strings are compared by their escaped (longer) length. */
const MAX_STRING_LEN = 32 * 1024 * 1024;
/** DataKit's limit on measurement + tags + 4 + field key, in bytes. */
const MAX_SERIES_KEY = 65535;

/** Value kinds of `kind[]`. */
export const V_TAG = 0;
export const V_STRING = 1;
export const V_INT = 2;
export const V_UINT = 3;
export const V_FLOAT = 4;
export const V_TRUE = 5;
export const V_FALSE = 6;

/** Zeros appended to a timestamp: -1 means guess by its digit count. */
export const GUESS = -1;

/**
 * Per entry (tags first, then fields): key span, value span (a string's
 * span excludes its quotes; a number's excludes its `i`/`u`), kind, key
 * signature (`keySig`), and for strings the number of `\"`/`\\` escapes in it, for
 * negative ints 1.
 */
export const keyStart = new Int32Array(MAX_ENTRIES);
export const keyEnd = new Int32Array(MAX_ENTRIES);
export const valStart = new Int32Array(MAX_ENTRIES);
export const valEnd = new Int32Array(MAX_ENTRIES);
export const kind = new Uint8Array(MAX_ENTRIES);
export const keySigs = new Int32Array(MAX_ENTRIES);
export const aux = new Int32Array(MAX_ENTRIES);
/** Float values, computed while scanning (a non-finite one rejects the line). */
export const floatVal = new Float64Array(MAX_ENTRIES);
/** For strings: where their escapes' positions start in `escapes`. */
export const escFrom = new Int32Array(MAX_ENTRIES);
/** Positions of the backslashes of the line's `\"`/`\\` escapes, in order. */
const MAX_ESCAPES = 4096;
export const escapes = new Int32Array(MAX_ESCAPES);
let escCount = 0;

/** The last scanned line; offsets are into the body. */
export const line = {
  start: 0,
  /** End of the measurement. */
  nameEnd: 0,
  /** The space before the fields. */
  tagsEnd: 0,
  tags: 0,
  fields: 0,
  /** Just after the last field value. */
  fieldsEnd: 0,
  /** Timestamp digits; `tsStart` -1 when absent or 0 (the receive time). */
  tsStart: -1,
  tsEnd: -1,
  /** Zeros to append to the timestamp digits for nanoseconds. */
  zeros: 0,
  /** The newline that ends the line, or the body length. */
  end: 0,
};

const LF = 10;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const EQUALS = 61;
const BACKSLASH = 92;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const HASH = 35;
const LOWER_I = 105;
const LOWER_U = 117;
const LOWER_E = 101;
const UPPER_E = 69;
const PLUS = 43;
const LOWER_T = 116;
const UPPER_T = 84;
const LOWER_F = 102;
const UPPER_F = 70;

/**
 * Per byte, in which tokens it stops the scan (to end the token or to
 * reject it): control bytes, backslash and quote everywhere; `,` and space
 * everywhere; `=` in names and tag values (rejected) and keys (ends them);
 * `.` in keys.
 */
const STOP_NAME = 1;
const STOP_KEY = 2;
const STOP_TAG_VALUE = 4;
const STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STOP[c] = STOP_NAME | STOP_KEY | STOP_TAG_VALUE;
for (const c of [BACKSLASH, QUOTE, COMMA, SPACE, EQUALS]) STOP[c] = STOP_NAME | STOP_KEY | STOP_TAG_VALUE;
STOP[DOT] = STOP_KEY;

/**
 * A key's signature for duplicate detection: its length and three of its
 * bytes (first, middle, last) mixed into one int. Equal keys have equal
 * signatures; unequal ones rarely do, and are then compared in full.
 */
export function keySig(b: Uint8Array, from: number, to: number): number {
  const len = to - from;
  return Math.imul(len, 0x9e3779b1) ^ b[from]! ^ (b[to - 1]! << 8) ^ (b[from + (len >> 1)]! << 16);
}

/** Decimal bounds, compared digit by digit with numbers of the same length. */
const INT64_MAX_DIGITS = Uint8Array.from(Buffer.from('9223372036854775807'));
const INT64_MIN_DIGITS = Uint8Array.from(Buffer.from('9223372036854775808'));
const UINT64_MAX_DIGITS = Uint8Array.from(Buffer.from('18446744073709551615'));

/**
 * Whether the `len` digits at `b[from]` followed by `zeros` zeros are at
 * most `bound`, for a number without leading zeros.
 */
function fits(b: Uint8Array, from: number, len: number, zeros: number, bound: Uint8Array): boolean {
  const total = len + zeros;
  if (total !== bound.length) return total < bound.length;
  for (let k = 0; k < len; k++) {
    const c = b[from + k]!;
    const d = bound[k]!;
    if (c !== d) return c < d;
  }
  return true; // equal so far; the zeros cannot exceed the rest of the bound
}

/** End of the run of ASCII digits at `i`; whole words of four digits are checked at once. */
function digitsEnd(b: Uint8Array, dv: DataView, i: number): number {
  // The sentinel quote after the body ends the run in time.
  for (;;) {
    const v = dv.getInt32(i, true);
    // Each byte 0x30-0x39: high nibble 3, and still 3 after adding 6.
    if ((v & 0xf0f0f0f0) !== 0x30303030 || ((v + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break;
    i += 4;
  }
  while (isDigit(b[i]!)) i++;
  return i;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** A value ends at `,` space newline or the end of the body. */
function atValueEnd(b: Uint8Array, i: number, n: number): boolean {
  if (i >= n) return true;
  const c = b[i]!;
  return c === COMMA || c === SPACE || c === LF;
}

/**
 * Scan the line starting at `p` (not at a newline). `zeros` is the
 * timestamp scale for the precision (0, 3, 6, 9 or `GUESS`). Returns the
 * start of the next line, or -1 when the line is outside the subset.
 */
export function scanLine(b: Uint8Array, dv: DataView, p: number, n: number, zeros: number): number {
  line.start = p;
  escCount = 0;
  let c = b[p]!;
  if (c === HASH) return -1;

  // Measurement, ended by `,` (tags) or one space (fields).
  let i = p;
  while ((STOP[b[i]!]! & STOP_NAME) === 0) i++;
  if (i === p || i >= n || i - p > MAX_NAME_LEN) return -1;
  c = b[i]!;
  if (c !== COMMA && c !== SPACE) return -1;
  line.nameEnd = i;

  let e = 0;
  if (c === COMMA) {
    for (;;) {
      if (e === MAX_TAGS) return -1;
      i = scanKey(b, i + 1, n, e);
      if (i < 0) return -1;
      const v0 = ++i;
      while ((STOP[b[i]!]! & STOP_TAG_VALUE) === 0) i++;
      if (i === v0 || i >= n || i - v0 > MAX_TAG_VALUE_LEN) return -1;
      valStart[e] = v0;
      valEnd[e] = i;
      kind[e] = V_TAG;
      e++;
      c = b[i]!;
      if (c === SPACE) break;
      if (c !== COMMA) return -1;
    }
  }
  line.tags = e;
  line.tagsEnd = i;
  const seriesBase = i - p + 4;

  // Fields after exactly one space.
  for (;;) {
    if (e - line.tags === MAX_FIELDS) return -1;
    const k0 = i + 1;
    i = scanKey(b, k0, n, e);
    if (i < 0 || seriesBase + i - k0 > MAX_SERIES_KEY) return -1;
    i = scanValue(b, dv, i + 1, n, e);
    if (i < 0) return -1;
    e++;
    if (i >= n) break;
    c = b[i]!;
    if (c !== COMMA) break;
  }
  line.fields = e - line.tags;
  line.fieldsEnd = i;
  line.tsStart = -1;
  line.tsEnd = -1;
  line.zeros = 0;
  if (i >= n || b[i] === LF) {
    line.end = i;
    return i + 1;
  }

  // `c` is a space: the timestamp follows it, then the line ends.
  const t0 = ++i;
  i = digitsEnd(b, dv, i);
  const digits = i - t0;
  if (digits === 0 || (i < n && b[i] !== LF)) return -1;
  line.end = i;
  if (b[t0] === DIGIT_0) {
    // `0` means "no timestamp"; other leading zeros are outside the subset.
    return digits === 1 ? i + 1 : -1;
  }
  let z = zeros;
  if (z === GUESS) z = digits <= 10 ? 9 : digits <= 13 ? 6 : digits <= 16 ? 3 : 0;
  if (!fits(b, t0, digits, z, INT64_MAX_DIGITS)) return -1;
  line.tsStart = t0;
  line.tsEnd = i;
  line.zeros = z;
  return i + 1;
}

/**
 * A tag or field key at `i` for entry `e`, up to its `=`: 1 to 256 bytes,
 * no control byte, backslash, quote, `,` space or `.`. Returns the index
 * of the `=`, or -1.
 */
function scanKey(b: Uint8Array, i: number, n: number, e: number): number {
  const k0 = i;
  while ((STOP[b[i]!]! & STOP_KEY) === 0) i++;
  if (i === k0 || i >= n || b[i] !== EQUALS || i - k0 > MAX_KEY_LEN) return -1;
  keyStart[e] = k0;
  keyEnd[e] = i;
  keySigs[e] = keySig(b, k0, i);
  return i;
}

/** The field value at `p` for entry `e`; returns the index just past it, or -1. */
function scanValue(b: Uint8Array, dv: DataView, p: number, n: number, e: number): number {
  if (p >= n) return -1;
  const c = b[p]!;
  if (c === QUOTE) return scanString(b, dv, p, n, e);
  if (isDigit(c) || c === MINUS || c === DOT) return scanNumber(b, p, n, e);
  return scanBool(b, p, n, e);
}

/**
 * `"..."`: `\"` and `\\` are escapes (counted, to size the unescaped
 * value); any other backslash is literal. Raw newlines and CRs belong to
 * the value. A `b` suffix (bytes) and anything else after the closing
 * quote but a terminator reject the line.
 *
 * Messages are the bulk of a log line, so the search for the next quote
 * or backslash reads four bytes at a time (`firstQuoteOrBackslash`).
 */
function scanString(b: Uint8Array, dv: DataView, p: number, n: number, e: number): number {
  let i = p + 1;
  const first = escCount;
  for (;;) {
    i = firstQuoteOrBackslash(dv, i);
    if (i >= n) return -1;
    if (b[i] === QUOTE) break;
    // A backslash: an escape when a quote or backslash follows (not the sentinel).
    const d = b[i + 1]!;
    if ((d === QUOTE || d === BACKSLASH) && i + 1 < n) {
      if (escCount === MAX_ESCAPES) return -1;
      escapes[escCount++] = i;
      i += 2;
    } else i++;
  }
  if (i - p - 1 > MAX_STRING_LEN || !atValueEnd(b, i + 1, n)) return -1;
  valStart[e] = p + 1;
  valEnd[e] = i;
  kind[e] = V_STRING;
  aux[e] = escCount - first;
  escFrom[e] = first;
  return i + 1;
}

/**
 * `-?digits i`, `digits u` (in range, no leading zeros) or a float
 * `-?digits[.digits][e[+-]digits]` / `-?.digits...` with at most three
 * exponent digits that is finite as a double. (At the end of the body `c`
 * reads the sentinel quote, which none of the tests below match.)
 */
function scanNumber(b: Uint8Array, p: number, n: number, e: number): number {
  let i = p;
  const neg = b[i] === MINUS;
  if (neg) i++;
  const d0 = i;
  let m = 0;
  let c = 0;
  while (isDigit((c = b[i]!))) {
    m = m * 10 + (c - DIGIT_0);
    i++;
  }
  const intDigits = i - d0;
  if (intDigits > 1 && b[d0] === DIGIT_0) return -1;
  if (c === LOWER_I || c === LOWER_U) {
    if (intDigits === 0 || !atValueEnd(b, i + 1, n)) return -1;
    if (c === LOWER_U && neg) return -1;
    const bound = c === LOWER_U ? UINT64_MAX_DIGITS : neg ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
    if (!fits(b, d0, intDigits, 0, bound)) return -1;
    valStart[e] = d0;
    valEnd[e] = i;
    kind[e] = c === LOWER_U ? V_UINT : V_INT;
    aux[e] = neg ? 1 : 0;
    return i + 1;
  }
  let exp10 = 0;
  if (c === DOT) {
    const f0 = ++i;
    while (isDigit((c = b[i]!))) {
      m = m * 10 + (c - DIGIT_0);
      i++;
    }
    exp10 = f0 - i;
  }
  if (intDigits === 0 && exp10 === 0) return -1; // no mantissa digit
  if (c === LOWER_E || c === UPPER_E) {
    c = b[++i]!;
    const expNeg = c === MINUS;
    if (expNeg || c === PLUS) i++;
    const x0 = i;
    let x = 0;
    while (isDigit((c = b[i]!))) {
      x = x * 10 + (c - DIGIT_0);
      i++;
    }
    if (i === x0 || i - x0 > 3) return -1;
    exp10 += expNeg ? -x : x;
  }
  if (!atValueEnd(b, i, n)) return -1;
  const v = floatValue(b, p, i, m, exp10, neg);
  if (!Number.isFinite(v)) return -1;
  valStart[e] = p;
  valEnd[e] = i;
  kind[e] = V_FLOAT;
  floatVal[e] = v;
  return i;
}

/** `t T true True TRUE f F false False FALSE`, then a terminator. */
function scanBool(b: Uint8Array, p: number, n: number, e: number): number {
  let i = p;
  while (i < n && !atValueEnd(b, i, n)) i++;
  const len = i - p;
  const c = b[p]!;
  let v = -1;
  if (len === 1) {
    if (c === LOWER_T || c === UPPER_T) v = V_TRUE;
    else if (c === LOWER_F || c === UPPER_F) v = V_FALSE;
  } else if (len === 4 || len === 5) {
    if (matches(b, p, len, TRUE_WORDS)) v = V_TRUE;
    else if (matches(b, p, len, FALSE_WORDS)) v = V_FALSE;
  }
  if (v < 0) return -1;
  valStart[e] = p;
  valEnd[e] = i;
  kind[e] = v;
  return i;
}

const TRUE_WORDS = ['true', 'True', 'TRUE'].map((w) => Uint8Array.from(Buffer.from(w)));
const FALSE_WORDS = ['false', 'False', 'FALSE'].map((w) => Uint8Array.from(Buffer.from(w)));

function matches(b: Uint8Array, p: number, len: number, words: readonly Uint8Array[]): boolean {
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.length !== len) continue;
    let k = 0;
    while (k < len && b[p + k] === word[k]) k++;
    if (k === len) return true;
  }
  return false;
}
