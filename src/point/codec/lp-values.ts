/**
 * Field values of DataKit line protocol: `42i`, `42u`, floats, `"str"`,
 * `"base64"b`, booleans and `[..]` arrays of one kind. Part of the
 * line-protocol decoder (`lp-decode.ts`), split out by grammar area.
 *
 * Each parser starts at the value's first char and returns the index just
 * past it, which must be a terminator: `,` ` ` newline or the end of the
 * body at top level, `,` or `]` inside an array. The value itself goes to
 * `st.val` / `st.kind`, so nothing is allocated per call; on error the
 * parser records where and why in `st` and returns -1.
 */
import { type BasicValue, type FieldValue, INT64_MAX, INT64_MIN, UINT64_MAX, UInt } from '../value.js';
import { decodeStdBase64 } from './base64-std.js';

export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const EQUALS = 61;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
const PLUS = 43;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const UPPER_E = 69;
const LOWER_E = 101;
const LOWER_I = 105;
const LOWER_U = 117;
const LOWER_B = 98;

/** Kind of the last parsed value, used to keep arrays to one kind. */
export const K_INT = 1;
export const K_UINT = 2;
export const K_FLOAT = 3;
export const K_BOOL = 4;
export const K_STRING = 5;
export const K_BYTES = 6;
export const K_ARRAY = 7;

/** Mutable scanner state shared by the line and value parsers. */
export interface ScanState {
  readonly s: string;
  readonly n: number;
  val: FieldValue;
  kind: number;
  errPos: number;
  errMsg: string;
  /**
   * The first backslash at or after `bsFrom` (-1: none). Searching afresh
   * for each string would rescan the rest of a body without backslashes
   * once per string value, which is quadratic.
   */
  bsFrom: number;
  bsAt: number;
}

/** Index of the first backslash at or after `from`, or -1. */
function nextBackslash(st: ScanState, from: number): number {
  if (from < st.bsFrom || (st.bsAt !== -1 && st.bsAt < from)) {
    st.bsAt = st.s.indexOf('\\', from);
    st.bsFrom = from;
  }
  return st.bsAt;
}

export function fail(st: ScanState, pos: number, msg: string): number {
  st.errPos = pos;
  st.errMsg = msg;
  return -1;
}

/** A short, quoted excerpt of `s[from, to)` for error messages (bounded size). */
export function excerpt(s: string, from: number, to: number): string {
  const cut = to - from > 40;
  return JSON.stringify(s.slice(from, cut ? from + 40 : to)) + (cut ? '…' : '');
}

/** `text` quoted for an error message, cut like `excerpt`. */
export function quoted(text: string): string {
  return excerpt(text, 0, text.length);
}

/** What sits at `pos`, for "got …" in error messages. */
export function describeAt(st: ScanState, pos: number): string {
  if (pos >= st.n) return 'end of body';
  const c = st.s.charCodeAt(pos);
  if (c === LF) return 'end of line';
  return JSON.stringify(st.s[pos]);
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** True when `pos` ends a value: the end of the body counts only at top level. */
function atValueEnd(st: ScanState, pos: number, inArray: boolean): boolean {
  if (pos >= st.n) return !inArray;
  const c = st.s.charCodeAt(pos);
  if (c === COMMA) return true;
  return inArray ? c === RBRACKET : c === SPACE || c === LF;
}

function endError(st: ScanState, pos: number, what: string, inArray: boolean): number {
  if (inArray && pos >= st.n) return fail(st, pos, 'unterminated array: missing "]"');
  return fail(st, pos, `unexpected ${describeAt(st, pos)} after ${what}`);
}

/** Any field value at `p` (the char after `=`, or an array element). */
export function parseValue(st: ScanState, p: number, inArray: boolean): number {
  const c = st.s.charCodeAt(p);
  if (c === QUOTE) return parseString(st, p, inArray);
  if (isDigit(c) || c === MINUS || c === DOT) return parseNumber(st, p, inArray);
  if (c === 116 || c === 84 || c === 102 || c === 70) return parseBool(st, p, inArray); // t T f F
  if (c === LBRACKET) return inArray ? fail(st, p, 'nested arrays are not supported') : parseArray(st, p);
  return fail(st, p, `invalid field value ${excerpt(st.s, p, tokenEnd(st, p))}`);
}

/**
 * `-?digits[.digits][e[+-]digits][i|u]`, at least one mantissa digit;
 * no exponent or point with a suffix. Ints up to 15 digits are summed as
 * numbers (exact below 2^53), longer ones go through BigInt and a range check.
 */
function parseNumber(st: ScanState, p: number, inArray: boolean): number {
  const s = st.s;
  const n = st.n;
  let i = p;
  const neg = s.charCodeAt(i) === MINUS;
  if (neg) i++;
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let isFloat = false;
  let fracDigits = 0;
  if (i < n && s.charCodeAt(i) === DOT) {
    isFloat = true;
    i++;
    const f0 = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracDigits = i - f0;
  }
  if (intDigits + fracDigits === 0) return fail(st, p, `invalid number ${excerpt(s, p, tokenEnd(st, p))}`);
  if (i < n && (s.charCodeAt(i) === LOWER_E || s.charCodeAt(i) === UPPER_E)) {
    isFloat = true;
    i++;
    if (i < n && (s.charCodeAt(i) === PLUS || s.charCodeAt(i) === MINUS)) i++;
    const e0 = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === e0)
      return fail(st, p, `invalid number ${excerpt(s, p, tokenEnd(st, p))}: exponent without digits`);
  }
  const c = i < n ? s.charCodeAt(i) : -1;
  if (c === LOWER_I || c === LOWER_U) {
    if (isFloat)
      return fail(
        st,
        p,
        `invalid number ${excerpt(s, p, tokenEnd(st, p))}: an integer has no point or exponent`,
      );
    if (!atValueEnd(st, i + 1, inArray)) return badNumberEnd(st, p, i + 1, inArray);
    return c === LOWER_I ? setInt(st, p, i, intStart, neg) : setUint(st, p, i, intStart, neg);
  }
  if (!atValueEnd(st, i, inArray)) return badNumberEnd(st, p, i, inArray);
  const f = Number(s.slice(p, i));
  if (f === Number.POSITIVE_INFINITY || f === Number.NEGATIVE_INFINITY) {
    return fail(st, p, `float ${excerpt(s, p, i)} is out of range`);
  }
  st.val = f;
  st.kind = K_FLOAT;
  return i;
}

function badNumberEnd(st: ScanState, p: number, at: number, inArray: boolean): number {
  if (inArray) {
    const c = at < st.n ? st.s.charCodeAt(at) : LF;
    if (c === SPACE || c === LF) return endError(st, at, 'array element', true);
  }
  return fail(st, at, `invalid number ${excerpt(st.s, p, tokenEnd(st, p))}`);
}

/** End of the token at `p` (next `,` ` ` `]` or newline), for excerpts. */
function tokenEnd(st: ScanState, p: number): number {
  const s = st.s;
  let i = p;
  while (i < st.n) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === SPACE || c === LF || c === RBRACKET) break;
    i++;
  }
  return i;
}

/** Value of the decimal digits `s[from, to)`; exact for up to 15 digits. */
export function digitsValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (s.charCodeAt(i) - DIGIT_0);
  return v;
}

function setInt(st: ScanState, p: number, suffix: number, intStart: number, neg: boolean): number {
  let v: bigint;
  if (suffix - intStart <= 15) {
    const m = digitsValue(st.s, intStart, suffix);
    v = BigInt(neg ? -m : m);
  } else {
    v = BigInt(st.s.slice(p, suffix));
    if (v > INT64_MAX || v < INT64_MIN) {
      return fail(st, p, `integer ${excerpt(st.s, p, suffix + 1)} overflows int64`);
    }
  }
  st.val = v;
  st.kind = K_INT;
  return suffix + 1;
}

function setUint(st: ScanState, p: number, suffix: number, intStart: number, neg: boolean): number {
  if (neg) return fail(st, p, `unsigned integer ${excerpt(st.s, p, suffix + 1)} cannot be negative`);
  let v: bigint;
  if (suffix - intStart <= 15) v = BigInt(digitsValue(st.s, intStart, suffix));
  else {
    v = BigInt(st.s.slice(intStart, suffix));
    if (v > UINT64_MAX)
      return fail(st, p, `unsigned integer ${excerpt(st.s, p, suffix + 1)} overflows uint64`);
  }
  st.val = new UInt(v);
  st.kind = K_UINT;
  return suffix + 1;
}

/** `t T true True TRUE f F false False FALSE`. */
function parseBool(st: ScanState, p: number, inArray: boolean): number {
  const s = st.s;
  const i = tokenEnd(st, p);
  const len = i - p;
  let v: boolean | null = null;
  if (len === 1) v = s.charCodeAt(p) === 116 || s.charCodeAt(p) === 84;
  else if (len === 4 || len === 5) {
    const w = s.slice(p, i);
    if (w === 'true' || w === 'True' || w === 'TRUE') v = true;
    else if (w === 'false' || w === 'False' || w === 'FALSE') v = false;
  }
  if (v === null) return fail(st, p, `invalid boolean ${excerpt(s, p, i)}`);
  if (!atValueEnd(st, i, inArray)) return endError(st, i, 'boolean', inArray);
  st.val = v;
  st.kind = K_BOOL;
  return i;
}

/**
 * `"..."` with `\"` and `\\` unescaped (other backslashes stay), raw
 * newlines allowed; `"..."b` is base64 bytes. One pass with `indexOf`
 * for the next quote and the next backslash; text without escapes is
 * sliced once.
 */
function parseString(st: ScanState, p: number, inArray: boolean): number {
  const s = st.s;
  let out = '';
  let seg = p + 1;
  let bs = nextBackslash(st, seg);
  let q = s.indexOf('"', seg);
  for (;;) {
    if (q === -1) return fail(st, p, "unterminated string: missing closing '\"'");
    if (bs === -1 || bs > q) break;
    const e = s.charCodeAt(bs + 1);
    if (e === QUOTE || e === BACKSLASH) {
      out += s.slice(seg, bs);
      seg = bs + 1; // keep the escaped char itself
      if (bs + 1 === q) q = s.indexOf('"', q + 1);
    }
    bs = nextBackslash(st, bs + 2);
  }
  const after = q + 1;
  if (after < st.n && s.charCodeAt(after) === LOWER_B) {
    if (!atValueEnd(st, after + 1, inArray)) return endError(st, after + 1, 'bytes value', inArray);
    const bytes = decodeStdBase64(s.slice(p + 1, q));
    if (bytes === null) return fail(st, p, `invalid base64 in bytes value ${excerpt(s, p, after + 1)}`);
    st.val = bytes;
    st.kind = K_BYTES;
    return after + 1;
  }
  if (!atValueEnd(st, after, inArray)) {
    if (after < st.n && s.charCodeAt(after) === QUOTE)
      return fail(st, after, 'unbalanced quotes after string value');
    return endError(st, after, 'string value', inArray);
  }
  st.val = out === '' ? s.slice(seg, q) : out + s.slice(seg, q);
  st.kind = K_STRING;
  return after;
}

/** `[v,v,...]` of one basic kind; `[]` is an empty array. */
function parseArray(st: ScanState, p: number): number {
  const s = st.s;
  let i = p + 1;
  const arr: BasicValue[] = [];
  let kind = 0;
  if (i < st.n && s.charCodeAt(i) === RBRACKET) i++;
  else {
    for (;;) {
      if (i >= st.n) return fail(st, p, 'unterminated array: missing "]"');
      const c = s.charCodeAt(i);
      if (c === COMMA || c === RBRACKET || c === SPACE || c === LF) {
        return fail(st, i, `missing array element, got ${describeAt(st, i)}`);
      }
      const start = i;
      i = parseValue(st, i, true);
      if (i < 0) return -1;
      if (kind === 0) kind = st.kind;
      else if (st.kind !== kind) return fail(st, start, 'array elements must all be of one kind');
      arr.push(st.val as BasicValue);
      if (s.charCodeAt(i) === RBRACKET) {
        i++;
        break;
      }
      i++; // the comma
    }
  }
  if (!atValueEnd(st, i, false)) return fail(st, i, `unexpected ${describeAt(st, i)} after array`);
  st.val = arr;
  st.kind = K_ARRAY;
  return i;
}
